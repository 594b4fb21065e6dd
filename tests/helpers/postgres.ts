/**
 * PostgreSQL for the tests: the database that tests/setup/postgres.ts provides (the one
 * `ASSENT_TEST_DATABASE_URL` names, or a throwaway embedded server). Each test gets a schema of
 * its own. When there is none, `postgresUrl` is undefined and the suites skip themselves under
 * a name that starts with "PostgreSQL" and says why (tests/setup/postgres-skips-reporter.ts
 * counts them in one line at the end of the run).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export const postgresUrl: string | undefined = inject('postgresUrl');

/** Why the PostgreSQL suites skip themselves, or undefined when they run. */
export const postgresSkipReason: string | undefined = postgresUrl
  ? undefined
  : (inject('postgresUnavailable') ?? 'no PostgreSQL');

/** A fresh, empty schema; returns a URL whose connections use it, and a way to drop it. */
export async function freshSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!postgresUrl) throw new Error('freshSchema() needs PostgreSQL: see tests/setup/postgres.ts');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
