/**
 * `assent verify` and `assent export` read what the endpoint wrote; pointed at a folder or a
 * database without Assent's records, they must say so and fail, never create an empty store
 * and report success.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { assent } from '../../helpers/cli.ts';

describe('verify and export on a store that is not there', () => {
  it.each([['verify'], ['export']])(
    '%s refuses a folder without a database, and creates nothing',
    (command) => {
      const dir = mkdtempSync(join(tmpdir(), 'assent-empty-'));
      const result = assent([command, '--data', dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/no Assent database/);
      expect(result.stderr).toContain(join(dir, 'assent.sqlite'));
      expect(result.stdout).not.toMatch(/^ok/);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it('verify refuses a folder that does not exist, and does not create it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'assent-empty-')), 'missing');
    const result = assent(['verify', '--data', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no Assent database/);
    expect(existsSync(dir)).toBe(false);
  });

  it('verify refuses an SQLite file that is not an Assent database, and leaves it unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-other-'));
    const file = join(dir, 'assent.sqlite');
    const other = new Database(file);
    other.exec('CREATE TABLE notes (text TEXT)');
    other.close();
    const result = assent(['verify', '--data', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not an Assent database/);
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual([
      'notes',
    ]);
    after.close();
  });

  it('verify refuses a file that is not SQLite at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-other-'));
    writeFileSync(join(dir, 'assent.sqlite'), 'not a database, just text '.repeat(100));
    const result = assent(['verify', '--data', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not an Assent database/);
  });

  it.skipIf(postgresSkipReason !== undefined)(
    "export refuses a PostgreSQL database without Assent's tables, and creates none",
    async () => {
      const schema = await freshSchema();
      try {
        const result = assent(['export', '--database', schema.url]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/no Assent records/);
        expect(result.stderr).not.toContain(':assent@');
        const again = assent(['verify', '--database', schema.url]);
        expect(again.stderr).toMatch(/no Assent records/);
      } finally {
        await schema.drop();
      }
    },
  );
});
