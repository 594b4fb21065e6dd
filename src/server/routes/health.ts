/**
 * GET /healthz (liveness: the process answers) and GET /readyz (readiness: the store answers,
 * its writer is alive, a manifest is loaded). Neither needs a token or counts against the rate
 * limit: a load balancer probing often must never be told 429. Anyone can ask, so the answer
 * names what is not ready and the log says why.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Problem, ProblemError } from '../problem.ts';

const Health = Type.Object({
  status: Type.Literal('ok'),
  store: Type.String(),
  /** When the manifest the endpoint checks records against was built. */
  manifestGenerated: Type.String(),
});

const Ready = Type.Object({
  status: Type.Literal('ready'),
  store: Type.String(),
  manifestGenerated: Type.String(),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, manifest } = app;
  app.get('/healthz', { config: { rateLimit: false }, schema: { response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
    store: store.kind,
    manifestGenerated: manifest.current.manifest.generated,
  }));

  app.get(
    '/readyz',
    { config: { rateLimit: false }, schema: { response: { 200: Ready, '5xx': Problem } } },
    async (request) => {
      const reasons: string[] = [];
      try {
        await store.ready();
      } catch (error) {
        // The store's error may name files, hosts or users: the log has it, the answer says what.
        const reason = `the ${store.kind} record store is not ready`;
        request.log.warn({ err: error }, reason);
        reasons.push(reason);
      }
      const generated = manifest.current?.manifest?.generated;
      if (!generated) reasons.push('no manifest is loaded');
      if (reasons.length) {
        throw new ProblemError('not-ready', reasons.join('; '), undefined, { 'retry-after': '5' });
      }
      return { status: 'ready' as const, store: store.kind, manifestGenerated: generated! };
    },
  );
};
