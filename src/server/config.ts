/**
 * The endpoint's configuration: defaults, then a JSON file (`--config`, `ASSENT_CONFIG`), then
 * environment variables, then command-line flags; each later source wins. Validated as a
 * whole, with the setting and the source named in the error.
 *
 *   ASSENT_DATA_DIR=./data ASSENT_ALLOWED_ORIGINS=https://shop.example npx assent serve
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { describeIssue, issuePosition } from '../config-file/errors.ts';
import { maskCredentials, maskUrl } from './secret-text.ts';

const origin = z.string().regex(/^https?:\/\/[^/?#]+$/, {
  error: 'an origin such as https://shop.example (scheme, host and port; no path)',
});

export const serverConfigSchema = z.strictObject({
  // Interface to listen on; 127.0.0.1 keeps it local.
  host: z.string().min(1).default('127.0.0.1'),
  // TCP port; 0 picks a free one.
  port: z.coerce
    .number({ error: 'a port number from 0 to 65535' })
    .int()
    .min(0)
    .max(65535, { error: 'a port number from 0 to 65535' })
    .default(8787),
  // Folder for the SQLite database and the HMAC key file.
  dataDir: z.string().min(1).default('data'),
  // postgres://user:pass@host/db: use PostgreSQL instead of SQLite.
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'a URL starting with postgres://' })
    .optional(),
  // Start on PostgreSQL even with synchronous_commit off (a crash may lose answered records).
  allowAsynchronousCommit: z.boolean({ error: 'true or false' }).default(false),
  // The manifest the records are checked against: a file path or an http(s) URL.
  manifest: z.string().min(1).default('dist/assent/manifest.json'),
  // How often to look for a new manifest (a new build of the site), in seconds.
  manifestRefreshSeconds: z.coerce
    .number({ error: 'a number of seconds' })
    .positive({ error: 'a positive number of seconds' })
    .default(10),
  // Partner sites whose pages may post records (CORS and the Origin check).
  allowedOrigins: z.array(origin).default([]),
  // The admin token: every operator route; without it (and without an auditor token) they are off.
  operatorToken: z.string().min(16, { error: 'at least 16 characters' }).optional(),
  // The auditor token: reading, verifying, exporting and stats only, never administration.
  auditorToken: z.string().min(16, { error: 'at least 16 characters' }).optional(),
  // HMAC key for subject ids (hex, 32 bytes or more); generated into dataDir when absent.
  hmacSecret: z
    .string()
    .regex(/^[0-9a-fA-F]{64,}$/, { error: 'at least 32 bytes written as hex (64 hex digits)' })
    .optional(),
  // Version number of hmacSecret, stored with each record so keys can be rotated.
  hmacKeyVersion: z.coerce
    .number()
    .int({ error: 'a whole number from 1' })
    .positive({ error: 'a whole number from 1' })
    .default(1),
  // Keep the client's address, truncated to /24 or /48.
  keepIp: z.boolean({ error: 'true or false' }).default(true),
  // Keep the browser family (Chrome, Safari, …), never the full User-Agent.
  keepBrowser: z.boolean({ error: 'true or false' }).default(true),
  // Requests per minute per client address; 0 turns the limit off.
  rateLimitPerMinute: z.coerce
    .number()
    .int({ error: 'a whole number' })
    .min(0, { error: 'a whole number, 0 for no limit' })
    .default(600),
  // Largest request body, in bytes.
  bodyLimit: z.coerce
    .number()
    .int({ error: 'a number of bytes' })
    .positive({ error: 'a number of bytes' })
    .default(256 * 1024),
  // Longest time to receive a whole request, in milliseconds.
  requestTimeoutMs: z.coerce
    .number()
    .int({ error: 'a number of milliseconds' })
    .positive({ error: 'a number of milliseconds' })
    .default(10_000),
  // Trust X-Forwarded-For (only behind a proxy you run).
  trustProxy: z.boolean({ error: 'true or false' }).default(false),
  // The log's name: first line of its checkpoints, their key name, the receipts' issuer.
  // A schema-less URL that no other log uses, e.g. records.shop.example/assent.
  logOrigin: z
    .string()
    .regex(/^[^\s+]+$/, { error: 'a name without spaces or "+", such as records.shop.example/assent' })
    .default('localhost/assent'),
  // Sign a checkpoint of the Merkle tree once this many records are not covered…
  checkpointEveryRecords: z.coerce
    .number()
    .int({ error: 'a whole number of records' })
    .positive({ error: 'a whole number of records from 1' })
    .default(1000),
  // …or once this many seconds have passed since the last one, with records left uncovered.
  checkpointEverySeconds: z.coerce
    .number({ error: 'a number of seconds' })
    .positive({ error: 'a positive number of seconds' })
    .default(10),
  // Longest a record waits for others to share its commit, in milliseconds (group commit).
  commitWindowMs: z.coerce
    .number({ error: 'a number of milliseconds' })
    .min(0, { error: 'from 0 to 50 milliseconds' })
    .max(50, { error: 'from 0 to 50 milliseconds' })
    .default(2),
  // How often webhooks are given the records stored since, in milliseconds.
  webhookIntervalMs: z.coerce
    .number({ error: 'a number of milliseconds' })
    .int({ error: 'a whole number of milliseconds' })
    .min(10, { error: 'at least 10 milliseconds' })
    .default(500),
  // The built operator console (`npm run build` writes it), served at /console/.
  consoleDir: z.string().min(1).default('dist/console'),
  // Keep the stats rollups up to date from this process (off: another instance keeps them).
  statsMaintainer: z.boolean({ error: 'true or false' }).default(true),
});

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type ConfigInput = z.input<typeof serverConfigSchema>;

/** Environment variable → setting. Lists are comma-separated; booleans are true/false. */
const ENV: Record<string, keyof ServerConfig> = {
  ASSENT_HOST: 'host',
  ASSENT_PORT: 'port',
  ASSENT_DATA_DIR: 'dataDir',
  ASSENT_DATABASE_URL: 'databaseUrl',
  ASSENT_ALLOW_ASYNCHRONOUS_COMMIT: 'allowAsynchronousCommit',
  ASSENT_MANIFEST: 'manifest',
  ASSENT_MANIFEST_REFRESH_SECONDS: 'manifestRefreshSeconds',
  ASSENT_ALLOWED_ORIGINS: 'allowedOrigins',
  ASSENT_OPERATOR_TOKEN: 'operatorToken',
  ASSENT_AUDITOR_TOKEN: 'auditorToken',
  ASSENT_HMAC_SECRET: 'hmacSecret',
  ASSENT_HMAC_KEY_VERSION: 'hmacKeyVersion',
  ASSENT_KEEP_IP: 'keepIp',
  ASSENT_KEEP_BROWSER: 'keepBrowser',
  ASSENT_RATE_LIMIT_PER_MINUTE: 'rateLimitPerMinute',
  ASSENT_BODY_LIMIT: 'bodyLimit',
  ASSENT_REQUEST_TIMEOUT_MS: 'requestTimeoutMs',
  ASSENT_TRUST_PROXY: 'trustProxy',
  ASSENT_COMMIT_WINDOW_MS: 'commitWindowMs',
  ASSENT_STATS_MAINTAINER: 'statsMaintainer',
  ASSENT_CONSOLE_DIR: 'consoleDir',
  ASSENT_WEBHOOK_INTERVAL_MS: 'webhookIntervalMs',
  ASSENT_LOG_ORIGIN: 'logOrigin',
  ASSENT_CHECKPOINT_EVERY_RECORDS: 'checkpointEveryRecords',
  ASSENT_CHECKPOINT_EVERY_SECONDS: 'checkpointEverySeconds',
};

/**
 * Secrets may come from files instead (Docker and Kubernetes secrets, systemd credentials), so
 * that they never sit in the environment or in `ps` output: `ASSENT_OPERATOR_TOKEN_FILE=/run/…`.
 */
export const SECRET_FILE_ENV = {
  operatorToken: 'ASSENT_OPERATOR_TOKEN_FILE',
  auditorToken: 'ASSENT_AUDITOR_TOKEN_FILE',
  hmacSecret: 'ASSENT_HMAC_SECRET_FILE',
  databaseUrl: 'ASSENT_DATABASE_URL_FILE',
} as const;

export type SecretSetting = keyof typeof SECRET_FILE_ENV;

const SECRETS = new Set<string>(Object.keys(SECRET_FILE_ENV));

const LISTS = new Set<keyof ServerConfig>(['allowedOrigins']);
const BOOLEANS = new Set<keyof ServerConfig>([
  'keepIp',
  'keepBrowser',
  'trustProxy',
  'allowAsynchronousCommit',
  'statsMaintainer',
]);

function fromEnv(env: NodeJS.ProcessEnv): {
  values: Partial<Record<keyof ServerConfig, unknown>>;
  names: Map<string, string>;
} {
  const values: Partial<Record<keyof ServerConfig, unknown>> = {};
  const names = new Map<string, string>();
  for (const [name, key] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    names.set(key, name);
    if (LISTS.has(key))
      values[key] = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (BOOLEANS.has(key)) values[key] = raw === 'true' ? true : raw === 'false' ? false : raw;
    else values[key] = raw;
  }
  return { values, names };
}

export interface ConfigSources {
  /** Path of a JSON config file. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Command-line flags, already named as settings. */
  flags?: Partial<ConfigInput>;
  /** Files named on the command line that hold a secret setting (`--operator-token-file`). */
  secretFiles?: Partial<Record<SecretSetting, string | undefined>>;
}

/** A secret read from a file: the whole file, less the line ending editors add. */
function readSecret(file: string, source: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigError(
      `cannot read the secret file ${file} (named by ${source}): ${(error as Error).message}`,
    );
  }
}

/** Secrets from files: the command line's files as flags, the environment's as variables. */
function secretsFromFiles(
  env: NodeJS.ProcessEnv,
  files: ConfigSources['secretFiles'] = {},
): { env: Partial<ConfigInput>; flags: Partial<ConfigInput>; names: Map<string, string> } {
  const fromEnv: Record<string, string> = {};
  const fromFlags: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const [key, variable] of Object.entries(SECRET_FILE_ENV) as Array<[SecretSetting, string]>) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-file`;
    if (files[key]) fromFlags[key] = readSecret(files[key], flag);
    const file = env[variable];
    if (!file) continue;
    if (env[Object.keys(ENV).find((name) => ENV[name] === key)!]) {
      throw new ConfigError(`set ${variable} or the variable it replaces, not both`);
    }
    fromEnv[key] = readSecret(file, variable);
    names.set(key, `file named by ${variable}`);
  }
  return { env: fromEnv, flags: fromFlags, names };
}

export class ConfigError extends Error {}

export function loadServerConfig(sources: ConfigSources = {}): ServerConfig {
  const env = sources.env ?? process.env;
  const file = sources.file ?? env.ASSENT_CONFIG;
  let fileValues: Record<string, unknown> = {};
  let fileText = '';
  if (file) {
    try {
      fileText = readFileSync(file, 'utf8');
      fileValues = JSON.parse(fileText);
    } catch (error) {
      // JSON.parse quotes the text around a syntax error, which may hold a secret: leave it out.
      const reason = (error as Error).message.replace(/, ".*is not valid JSON$/s, ' (not valid JSON)');
      throw new ConfigError(`cannot read the config file ${file}: ${reason}`);
    }
  }
  const fromEnvironment = fromEnv(env);
  const secrets = secretsFromFiles(env, sources.secretFiles);
  for (const [key, name] of secrets.names) fromEnvironment.names.set(key, name);
  const flags = { ...definedOnly(sources.flags ?? {}), ...secrets.flags };
  const merged = { ...fileValues, ...fromEnvironment.values, ...secrets.env, ...flags };
  const result = serverConfigSchema.safeParse(merged);
  if (!result.success) {
    // A URL is shown with its password masked; other secrets are not shown at all.
    const show = (path: readonly PropertyKey[], value: unknown) =>
      path[0] === 'databaseUrl' && typeof value === 'string'
        ? JSON.stringify(maskUrl(value))
        : SECRETS.has(String(path[0]))
          ? undefined
          : JSON.stringify(value);
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      // A setting the file gives (or a name it misspells): its file, line and column.
      if (file && !(key in flags) && !fromEnvironment.names.has(key) && (key in fileValues || !key)) {
        const { line, column } = issuePosition(fileText, issue);
        const what = describeIssue(issue, fileValues, { noun: 'setting', schema: serverConfigSchema, show });
        return `${file}:${line}:${column}: ${what}`;
      }
      const where =
        key in flags
          ? 'command line'
          : fromEnvironment.names.has(key)
            ? `environment variable ${fromEnvironment.names.get(key)}`
            : file
              ? `config file ${file}`
              : 'defaults';
      const shown = show([key], merged[key as keyof typeof merged]);
      const received = shown === undefined ? '' : `, received ${shown}`;
      return `setting \`${issue.path.join('.')}\` (from ${where})${received}: expected ${issue.message}`;
    });
    throw new ConfigError(maskCredentials(lines.join('\n')));
  }
  if (result.data.auditorToken !== undefined && result.data.auditorToken === result.data.operatorToken) {
    throw new ConfigError(
      'settings `auditorToken` and `operatorToken` hold the same token, so an auditor would be an admin: give each role its own token',
    );
  }
  return result.data;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The configuration as it may be logged: secrets replaced. */
export function describeConfig(config: ServerConfig): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: config.databaseUrl && maskUrl(config.databaseUrl),
    operatorToken: config.operatorToken ? '***' : undefined,
    auditorToken: config.auditorToken ? '***' : undefined,
    hmacSecret: config.hmacSecret ? '***' : undefined,
  };
}
