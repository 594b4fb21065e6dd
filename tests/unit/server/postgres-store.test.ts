import pg from 'pg';
import { openPostgresStore } from '../../../src/server/store/postgres-store.ts';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { testKeys } from '../../helpers/records.ts';
import { storeContract } from './store-contract.ts';

storeContract(
  'PostgreSQL',
  () => {
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
  },
  { skip: postgresSkipReason },
);
