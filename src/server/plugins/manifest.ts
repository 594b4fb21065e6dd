/**
 * The manifest records are checked against, as `app.manifest`: loaded before the endpoint
 * takes requests (a missing or broken one stops the start), followed as new builds are
 * published, and no longer followed once the app closes.
 */
import fp from 'fastify-plugin';
import { ManifestSource } from '../manifest-source.ts';

declare module 'fastify' {
  interface FastifyInstance {
    manifest: ManifestSource;
  }
}

export const manifestPlugin = fp(
  async (app) => {
    const { manifest, manifestRefreshSeconds } = app.config;
    const source = await ManifestSource.open(manifest, manifestRefreshSeconds, app.log);
    app.decorate('manifest', source);
    app.addHook('onClose', async () => source.close());
  },
  { name: 'assent-manifest', fastify: '5.x', dependencies: ['assent-config'] },
);
