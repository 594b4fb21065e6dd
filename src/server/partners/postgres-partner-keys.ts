/**
 * Partner keys of the PostgreSQL store, in the `partner_keys` table beside the records, on a
 * small pool of their own. Opening applies pending migrations (under the store's advisory lock).
 */
import pg from 'pg';
import { asStoreError } from '../store/postgres-errors.ts';
import { migrate } from '../store/postgres-store.ts';
import {
  PARTNER_KEY_COLUMNS as COLUMNS,
  partnerKeyValues,
  type PartnerKey,
  type PartnerKeyStore,
} from './partner-keys.ts';

interface Row {
  id: string;
  name: string;
  origins: string[];
  documents: string[];
  created_at: Date;
  revoked_at: Date | null;
  token_key: string | null;
}

const partnerKey = (r: Row): PartnerKey => ({
  id: r.id,
  name: r.name,
  origins: r.origins,
  documents: r.documents,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
  tokenKey: r.token_key,
});

export class PostgresPartnerKeys implements PartnerKeyStore {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  static async open(
    url: string,
    onProblem: (message: string) => void = () => {},
  ): Promise<PostgresPartnerKeys> {
    const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
    // An idle connection the server ends emits 'error' on the pool; unheard, it would end the process.
    pool.on('error', (error) => onProblem(`a pooled PostgreSQL connection was lost: ${error.message}`));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw asStoreError(error);
    }
    return new PostgresPartnerKeys(pool);
  }

  async #query<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(sql, values);
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async add(key: PartnerKey, keyHash: string): Promise<void> {
    await this.#query(
      `INSERT INTO partner_keys (${COLUMNS}, key_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      partnerKeyValues(key, keyHash),
    );
  }

  async list(): Promise<PartnerKey[]> {
    const { rows } = await this.#query<Row>(
      `SELECT ${COLUMNS} FROM partner_keys ORDER BY created_at, id`,
      [],
    );
    return rows.map(partnerKey);
  }

  async byHash(keyHash: string): Promise<PartnerKey | undefined> {
    const { rows } = await this.#query<Row>(`SELECT ${COLUMNS} FROM partner_keys WHERE key_hash = $1`, [
      keyHash,
    ]);
    return rows[0] && partnerKey(rows[0]);
  }

  async byId(id: string): Promise<PartnerKey | undefined> {
    const { rows } = await this.#query<Row>(`SELECT ${COLUMNS} FROM partner_keys WHERE id = $1`, [id]);
    return rows[0] && partnerKey(rows[0]);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    const { rowCount } = await this.#query(
      'UPDATE partner_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
      [at, id],
    );
    return rowCount === 1;
  }

  /** The count of changes to the keys (migration 006: a trigger moves it with every change). */
  async changeMark(): Promise<string> {
    const { rows } = await this.#query<{ version: string }>(
      'SELECT version FROM partner_key_changes WHERE id = 1',
      [],
    );
    return rows[0]!.version;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
