/**
 * PostgreSQL for the tests: `ASSENT_TEST_DATABASE_URL` names a database (`.ci/run` starts the
 * machine's PostgreSQL and sets it). Each test gets a schema of its own. Without the variable
 * the PostgreSQL suites are skipped, unless `ASSENT_REQUIRE_POSTGRES=1` (set by CI), which
 * makes a missing database a failure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresUrl = process.env.ASSENT_TEST_DATABASE_URL;

if (!postgresUrl && process.env.ASSENT_REQUIRE_POSTGRES === '1') {
  throw new Error(
    'ASSENT_REQUIRE_POSTGRES=1 but ASSENT_TEST_DATABASE_URL is not set: start PostgreSQL and name a test database',
  );
}

/** A fresh, empty schema; returns a URL whose connections use it, and a way to drop it. */
export async function freshSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(postgresUrl!);
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
