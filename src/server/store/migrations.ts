/**
 * Versioned schema migrations: `migrations/<engine>/NNN_name.sql`, applied in order, each
 * once, recorded in `schema_migrations`. Each store applies them when it opens.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function migrations(engine: 'sqlite' | 'postgres'): Migration[] {
  const dir = join(import.meta.dirname, 'migrations', engine);
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
}
