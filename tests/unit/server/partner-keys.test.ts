import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CachedPartnerKeys } from '../../../src/server/partners/cached-partner-keys.ts';
import { newPartnerKey } from '../../../src/server/partners/partner-keys.ts';
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

describe.skipIf(postgresSkipReason)('PostgreSQL partner keys changed by hand', () => {
  it('moves the change mark, and so the endpoint’s kept keys, when SQL outside Assent edits a key', async () => {
    const schema = await freshSchema();
    const keys = await PostgresPartnerKeys.open(schema.url);
    const psql = new pg.Client({ connectionString: schema.url });
    await psql.connect();
    try {
      const cached = new CachedPartnerKeys(keys);
      const made = newPartnerKey({ name: 'shop', origins: ['https://shop.example'], documents: ['x'] });
      await keys.add(made.key, made.keyHash);
      expect(await cached.byHash(made.keyHash)).toEqual(made.key);
      const before = await keys.changeMark();
      // As an operator might, in psql: no Assent code runs.
      await psql.query(`UPDATE partner_keys SET origins = '["https://new.example"]'::jsonb`);
      expect(await keys.changeMark()).not.toBe(before);
      expect((await cached.byHash(made.keyHash))!.origins).toEqual(['https://new.example']);
      await psql.query('DELETE FROM partner_keys');
      expect(await cached.byHash(made.keyHash)).toBeUndefined();
    } finally {
      await psql.end();
      await keys.close();
      await schema.drop();
    }
  });
});
