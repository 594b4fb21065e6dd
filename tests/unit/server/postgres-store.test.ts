import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../src/server/store/postgres-store.ts';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { testKeys } from '../../helpers/records.ts';
import type { CheckpointSettings } from '../../../src/server/store/checkpointing.ts';
import { storeContract } from './store-contract.ts';

storeContract(
  'PostgreSQL',
  () => {
    let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
    const url = async () => (schema ??= await freshSchema()).url;
    const open = async (keys = testKeys, checkpoints?: CheckpointSettings) =>
      openPostgresStore(await url(), {
        commitWindowMs: 1,
        poolSize: 4,
        keys,
        ...(checkpoints ? { checkpoints } : {}),
      });
    return {
      create: open,
      reopen: open,
      async sql(statement) {
        const client = new pg.Client({ connectionString: await url() });
        await client.connect();
        try {
          await client.query(statement);
        } finally {
          await client.end();
        }
      },
      disableAppendOnly: 'DROP TRIGGER records_no_change ON records',
      async cleanup() {
        await schema?.drop();
      },
    };
  },
  { skip: postgresSkipReason },
);

describe.skipIf(postgresSkipReason !== undefined)('PostgreSQL durability', () => {
  it('refuses to start with synchronous_commit off, unless told to accept it', async () => {
    const schema = await freshSchema();
    try {
      const url = new URL(schema.url);
      url.searchParams.set('options', `${url.searchParams.get('options')} -c synchronous_commit=off`);
      await expect(openPostgresStore(url.href, { commitWindowMs: 1, keys: testKeys })).rejects.toThrow(
        /synchronous_commit off .* allowAsynchronousCommit/,
      );
      const store = await openPostgresStore(url.href, {
        commitWindowMs: 1,
        keys: testKeys,
        allowAsynchronousCommit: true,
      });
      await store.close();
    } finally {
      await schema.drop();
    }
  });
});
