/**
 * The endpoint's configuration as `app.config`, for every plugin and route that needs a setting.
 * Registered first; the other plugins name it in their `dependencies`.
 */
import fp from 'fastify-plugin';
import type { ServerConfig } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: ServerConfig;
  }
}

export const configPlugin = fp<{ config: ServerConfig }>(
  async (app, { config }) => {
    app.decorate('config', config);
  },
  { name: 'assent-config', fastify: '5.x' },
);
