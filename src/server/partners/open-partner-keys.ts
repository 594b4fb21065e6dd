/** The partner keys of the configured store: PostgreSQL when a database URL is set, else SQLite in the data folder. */
import type { ServerConfig } from '../config.ts';
import type { PartnerKeyStore } from './partner-keys.ts';
import { PostgresPartnerKeys } from './postgres-partner-keys.ts';
import { SqlitePartnerKeys } from './sqlite-partner-keys.ts';

export async function openPartnerKeys(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>,
  onProblem?: (message: string) => void,
): Promise<PartnerKeyStore> {
  return config.databaseUrl
    ? PostgresPartnerKeys.open(config.databaseUrl, onProblem)
    : new SqlitePartnerKeys(config.dataDir);
}
