/**
 * A pool for a part of the endpoint that keeps tables of its own beside the records in
 * PostgreSQL (the stats rollups, the webhook queue). Their schema is made when the pool opens,
 * under a transaction-level advisory lock, so that instances starting together do not race to
 * create the same tables.
 *
 *   const pool = await openSideTables(url, { lock: 'assent-stats', schema: SCHEMA });
 */
import pg from 'pg';

export interface SideTables {
  /** Names the advisory lock (hashed by PostgreSQL's hashtext). */
  lock: string;
  /** Idempotent DDL (CREATE TABLE IF NOT EXISTS …). */
  schema: string;
  /** Told when an idle pooled connection is lost; the pool replaces it on the next query. */
  onLostConnection?: (error: Error) => void;
}

export async function openSideTables(url: string, tables: SideTables): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 5_000 });
  // Without a listener an idle connection killed by the server ends the process.
  pool.on('error', (error) => tables.onLostConnection?.(error));
  try {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [tables.lock]);
      await client.query(tables.schema);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}
