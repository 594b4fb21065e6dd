import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../app.ts';

const Health = Type.Object({
  status: Type.Literal('ok'),
  store: Type.String(),
  /** When the manifest the endpoint checks records against was built. */
  manifestGenerated: Type.String(),
});

/** GET /healthz: the endpoint is up, and which store and manifest it uses. */
export async function healthRoutes(app: FastifyInstance, { store, manifest }: AppDeps): Promise<void> {
  app.get('/healthz', { schema: { response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
    store: store.kind,
    manifestGenerated: manifest.current.manifest.generated,
  }));
}
