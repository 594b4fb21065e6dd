import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadServerConfig } from '../../../src/server/config.ts';
import { createHttpServer } from '../../../src/server/http-server.ts';
import { SQLITE_FILE } from '../../../src/server/store/sqlite-store.ts';
import { OPERATOR_TOKEN } from '../../helpers/endpoint.ts';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { manifestFile, PAGE_ORIGIN } from '../../helpers/records.ts';
import { statsContract } from './stats-contract.ts';

const settings = {
  manifest: manifestFile,
  hmacSecret: '07'.repeat(32),
  allowedOrigins: [PAGE_ORIGIN],
  operatorToken: OPERATOR_TOKEN,
  rateLimitPerMinute: 0,
  commitWindowMs: 0,
};

statsContract('SQLite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'assent-stats-'));
  const open = () => createHttpServer(loadServerConfig({ env: {}, flags: { ...settings, dataDir } }));
  return {
    create: open,
    reopen: open,
    async sql(statement) {
      const db = new Database(join(dataDir, SQLITE_FILE));
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    },
    // A restore from a backup taken one record earlier: records, tree and checkpoints alike.
    dropLastRecord: `DROP TRIGGER records_no_delete;
      DELETE FROM records WHERE seq = (SELECT max(seq) FROM records);
      DELETE FROM merkle_nodes WHERE seq > (SELECT max(seq) FROM records);
      DELETE FROM checkpoints WHERE tree_size > (SELECT count(*) FROM records);`,
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

statsContract(
  'PostgreSQL',
  () => {
    let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
    const url = async () => (schema ??= await freshSchema()).url;
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-stats-'));
    const open = async () =>
      createHttpServer(
        loadServerConfig({ env: {}, flags: { ...settings, dataDir, databaseUrl: await url() } }),
      );
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
      dropLastRecord: `DROP TRIGGER records_no_change ON records;
        DELETE FROM records WHERE seq = (SELECT max(seq) FROM records);
        DELETE FROM merkle_nodes WHERE seq > (SELECT max(seq) FROM records);
        DELETE FROM checkpoints WHERE tree_size > (SELECT count(*) FROM records);
        UPDATE chain_head SET seq = r.seq, hash = r.hash FROM (SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1) r`,
      async cleanup() {
        await schema?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
  { skip: postgresSkipReason },
);
