/**
 * The record store as `app.store`, with the keys that pseudonymise subjects as
 * `app.subjectKeys` and the keys that sign receipts as `app.signing`: opened from the configuration (SQLite in the data folder, or PostgreSQL),
 * and closed in `onClose`, which Fastify runs once the requests under way have been answered,
 * so every record they carry is committed first.
 */
import fp from 'fastify-plugin';
import { openStore, type OpenedStore } from '../store/open-store.ts';
import type { RecordStore } from '../store/record-store.ts';
import type { SigningKeys } from '../proof/signing-keys.ts';
import type { SubjectKeys } from '../subject-keys.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: RecordStore;
    subjectKeys: SubjectKeys;
    /** Signs receipts; the store signs checkpoints with the same current key. */
    signing: SigningKeys;
  }
}

export interface StorePluginOptions {
  /** A store opened elsewhere (a test's, with its own pool or keys): closed with the app all the same. */
  opened?: OpenedStore;
}

export const storePlugin = fp<StorePluginOptions>(
  async (app, { opened }) => {
    const { store, keys, signing } =
      opened ?? (await openStore(app.config, (message) => app.log.warn(message)));
    app.decorate('store', store);
    app.decorate('subjectKeys', keys);
    app.decorate('signing', signing);
    app.addHook('onClose', () => store.close());
  },
  { name: 'assent-store', fastify: '5.x', dependencies: ['assent-config'] },
);
