/**
 * The other baseline: single-row durable inserts into SQLite with the endpoint's settings
 * (WAL, synchronous=FULL), one transaction per row, for a fixed time. Prints rows/s as JSON.
 *
 *   node bench/endpoint/raw-inserts.ts <dir> <seconds>
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyDurability } from '../../src/server/store/sqlite-store.ts';

const [dir, seconds] = process.argv.slice(2);
const db = new Database(join(dir!, 'raw.sqlite'));
applyDurability(db);
db.exec(
  'CREATE TABLE IF NOT EXISTS rows (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL) STRICT',
);
const insert = db.prepare('INSERT INTO rows (id, body) VALUES (?, ?)');
// About the size of a stored record.
const body = JSON.stringify({ padding: 'x'.repeat(900) });
const until = performance.now() + Number(seconds) * 1000;
let rows = 0;
while (performance.now() < until) {
  insert.run(randomUUID(), body); // autocommit: one durable transaction per row
  rows++;
}
db.close();
console.log(JSON.stringify({ rows, rowsPerSecond: rows / Number(seconds) }));
