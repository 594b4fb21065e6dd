import pg from 'pg';
import { describe, it } from 'vitest';
import { openPostgresStore } from '../../../src/server/store/postgres-store.ts';
import { freshSchema, postgresUrl } from '../../helpers/postgres.ts';
import { testKeys } from '../../helpers/records.ts';
import { storeContract } from './store-contract.ts';

if (postgresUrl) {
  storeContract('PostgreSQL', () => {
    let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
    const url = async () => (schema ??= await freshSchema()).url;
    const open = async () =>
      openPostgresStore(await url(), { commitWindowMs: 1, poolSize: 4, keys: testKeys });
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
  });
} else {
  describe.skip('PostgreSQL store (set ASSENT_TEST_DATABASE_URL to run)', () => {
    it('is not run without a database');
  });
}
