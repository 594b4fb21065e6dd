/**
 * Webhooks as `app.webhooks`: where they are kept (beside the records, in the store's kind) and
 * the dispatcher that delivers records to them (webhooks/dispatcher.ts), started with the app
 * and stopped before the store closes.
 */
import { dirname } from 'node:path';
import fp from 'fastify-plugin';
import { WebhookDispatcher } from '../webhooks/dispatcher.ts';
import { PostgresWebhookStore } from '../webhooks/postgres-webhooks.ts';
import { SqliteWebhookStore } from '../webhooks/sqlite-webhooks.ts';
import type { WebhookStore } from '../webhooks/webhook-store.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: { store: WebhookStore; dispatcher: WebhookDispatcher };
  }
}

export const webhooksPlugin = fp(
  async (app) => {
    const { config, store: records } = app;
    let store: WebhookStore;
    let lead: (() => Promise<boolean>) | undefined;
    if (records.kind === 'sqlite')
      store = new SqliteWebhookStore(dirname((records as SqliteStore).file), app.subjectKeys);
    else {
      const postgres = await PostgresWebhookStore.open(config.databaseUrl!, app.subjectKeys);
      lead = () => postgres.lead();
      store = postgres;
    }
    for (const problem of await store.resealSecrets()) app.log.warn(`webhooks: ${problem}`);
    const dispatcher = new WebhookDispatcher({
      webhooks: store,
      records,
      intervalMs: config.webhookIntervalMs,
      ...(lead ? { lead } : {}),
      onProblem: (message) => app.log.warn(message),
    });
    app.decorate('webhooks', { store, dispatcher });
    app.addHook('onReady', async () => dispatcher.start());
    // Before the server and the store close: no delivery reads a closed store.
    app.addHook('preClose', async () => dispatcher.close());
    app.addHook('onClose', async () => store.close());
  },
  { name: 'assent-webhooks', fastify: '5.x', dependencies: ['assent-config', 'assent-store'] },
);
