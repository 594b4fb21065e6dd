import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresPartnerKeys } from '../../../src/server/partners/postgres-partner-keys.ts';
import { SqlitePartnerKeys } from '../../../src/server/partners/sqlite-partner-keys.ts';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { partnerKeysContract } from './partner-keys-contract.ts';

partnerKeysContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assent-partner-keys-'));
  return {
    open: async () => new SqlitePartnerKeys(dir),
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

partnerKeysContract(
  'PostgreSQL',
  () => {
    let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
    return {
      open: async () => PostgresPartnerKeys.open((schema ??= await freshSchema()).url),
      async cleanup() {
        await schema?.drop();
      },
    };
  },
  { skip: postgresSkipReason },
);
