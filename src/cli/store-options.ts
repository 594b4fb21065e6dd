/**
 * The options every command that opens the record store shares: where the records are and
 * which configuration file to read. Same names as `assent serve`.
 */
import { loadServerConfig, type ConfigSources, type ServerConfig } from '../server/config.ts';

export const STORE_OPTIONS = {
  config: { type: 'string' },
  data: { type: 'string' },
  database: { type: 'string' },
} as const;

export const STORE_HELP = `  --config FILE     JSON configuration file (or ASSENT_CONFIG)
  --data DIR        data folder of the SQLite store (default: data; or ASSENT_DATA_DIR)
  --database URL    postgres://… to use PostgreSQL instead (or ASSENT_DATABASE_URL, or
                    ASSENT_DATABASE_URL_FILE naming a file that holds it)`;

export function storeConfig(
  values: { config?: string; data?: string; database?: string },
  extra: object = {},
  secretFiles: ConfigSources['secretFiles'] = {},
): ServerConfig {
  return loadServerConfig({
    ...(values.config ? { file: values.config } : {}),
    flags: { dataDir: values.data, databaseUrl: values.database, ...extra },
    secretFiles,
  });
}
