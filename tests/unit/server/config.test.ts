import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadServerConfig } from '../../../src/server/config.ts';
import { loadSubjectKeys, pseudonymise, subjectHashes } from '../../../src/server/subject-keys.ts';

describe('endpoint configuration', () => {
  it('takes defaults, then the file, then the environment, then flags', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'assent-config-')), 'config.json');
    writeFileSync(
      file,
      JSON.stringify({ port: 9000, dataDir: '/srv/assent', allowedOrigins: ['https://a.example'] }),
    );
    const config = loadServerConfig({
      file,
      env: {
        ASSENT_PORT: '9100',
        ASSENT_ALLOWED_ORIGINS: 'https://b.example, https://c.example',
        ASSENT_KEEP_IP: 'false',
      },
      flags: { port: '9200' },
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 9200,
      dataDir: '/srv/assent',
      allowedOrigins: ['https://b.example', 'https://c.example'],
      keepIp: false,
      keepBrowser: true,
    });
  });

  it('names the setting, its source and what was expected', () => {
    expect(() => loadServerConfig({ env: { ASSENT_ALLOWED_ORIGINS: 'https://shop.example/path' } })).toThrow(
      'setting `allowedOrigins.0` (from environment variable ASSENT_ALLOWED_ORIGINS), received ["https://shop.example/path"]: expected an origin such as https://shop.example (scheme, host and port; no path)',
    );
    expect(() => loadServerConfig({ env: {}, flags: { port: 'eighty' } })).toThrow(
      'setting `port` (from command line)',
    );
  });

  it('never shows secrets, in errors or in the logged configuration', () => {
    expect(() => loadServerConfig({ env: { ASSENT_HMAC_SECRET: 'short-secret' } })).toThrow(
      /^(?!.*short-secret)/s,
    );
    const config = loadServerConfig({
      env: {
        ASSENT_OPERATOR_TOKEN: 'a-very-secret-token',
        ASSENT_DATABASE_URL: 'postgres://app:pw@db/assent',
      },
    });
    const shown = JSON.stringify(describeConfig(config));
    expect(shown).not.toContain('a-very-secret-token');
    expect(shown).not.toContain(':pw@');
  });
});

describe('secrets in the configuration', () => {
  it('masks the password of a database URL it refuses', () => {
    const refuse = () =>
      loadServerConfig({ env: { ASSENT_DATABASE_URL: 'postgresql//app:hunter2@db.example/assent' } });
    expect(refuse).toThrow(/received "postgresql\/\/app:\*\*\*@db\.example\/assent"/);
    expect(refuse).toThrow(/^(?!.*hunter2)/s);
  });

  it('reads secrets from the files ASSENT_*_FILE and --operator-token-file name, less the final newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-secrets-'));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text, { mode: 0o600 });
      return join(dir, name);
    };
    const config = loadServerConfig({
      env: {
        ASSENT_HMAC_SECRET_FILE: file('hmac', `${'ab'.repeat(32)}\n`),
        ASSENT_DATABASE_URL_FILE: file('db', 'postgres://app:pw@db/assent\n'),
      },
      secretFiles: { operatorToken: file('token', 'a-token-from-a-file-0123\n') },
    });
    expect(config).toMatchObject({
      hmacSecret: 'ab'.repeat(32),
      databaseUrl: 'postgres://app:pw@db/assent',
      operatorToken: 'a-token-from-a-file-0123',
    });
  });

  it('names a secret file it cannot read, and refuses a secret set twice', () => {
    expect(() => loadServerConfig({ env: { ASSENT_OPERATOR_TOKEN_FILE: '/no/such/token' } })).toThrow(
      'cannot read the secret file /no/such/token (named by ASSENT_OPERATOR_TOKEN_FILE)',
    );
    expect(() =>
      loadServerConfig({
        env: { ASSENT_OPERATOR_TOKEN: 'x'.repeat(20), ASSENT_OPERATOR_TOKEN_FILE: '/no/such/token' },
      }),
    ).toThrow(/not both/);
  });

  it('never echoes the text of a config file that is not JSON (a token file given by mistake)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'assent-config-')), 'token');
    writeFileSync(file, 's3cr3t-token-0123456789\n');
    expect(() => loadServerConfig({ file, env: {} })).toThrow(/not valid JSON/);
    expect(() => loadServerConfig({ file, env: {} })).toThrow(/^(?!.*s3cr3t)/s);
  });
});

describe('operator tokens', () => {
  it('read the auditor token from ASSENT_AUDITOR_TOKEN_FILE or --auditor-token-file, and never log it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'assent-config-')), 'auditor');
    writeFileSync(file, 'auditor-token-0123456789\n');
    expect(loadServerConfig({ env: { ASSENT_AUDITOR_TOKEN_FILE: file } }).auditorToken).toBe(
      'auditor-token-0123456789',
    );
    const config = loadServerConfig({ env: {}, secretFiles: { auditorToken: file } });
    expect(config.auditorToken).toBe('auditor-token-0123456789');
    expect(JSON.stringify(describeConfig(config))).not.toContain('auditor-token-0123456789');
  });

  it('refuse one token for both roles, since an auditor would then be an admin', () => {
    const token = 'the-same-token-0123456789';
    expect(() =>
      loadServerConfig({ env: { ASSENT_OPERATOR_TOKEN: token, ASSENT_AUDITOR_TOKEN: token } }),
    ).toThrow(/give each role its own token/);
  });
});

describe('subject keys', () => {
  it('generate a key into the data folder on first start, readable by the owner only, and reuse it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-keys-'));
    const config = loadServerConfig({ env: {}, flags: { dataDir } });
    const first = loadSubjectKeys(config);
    const file = join(dataDir, 'hmac-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(pseudonymise(loadSubjectKeys(config), 'alice')).toEqual(pseudonymise(first, 'alice'));
    expect(readFileSync(file, 'utf8')).not.toContain('alice');
  });

  it('require a configured key with PostgreSQL, since instances must share it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-keys-'));
    const config = loadServerConfig({ env: {}, flags: { dataDir, databaseUrl: 'postgres://db/assent' } });
    expect(() => loadSubjectKeys(config)).toThrow(/set ASSENT_HMAC_SECRET/);
  });

  it('find a subject under an old key after rotation', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-keys-'));
    const before = loadSubjectKeys(loadServerConfig({ env: {}, flags: { dataDir } }));
    const old = pseudonymise(before, 'alice');
    const after = loadSubjectKeys(
      loadServerConfig({ env: {}, flags: { dataDir, hmacSecret: 'ab'.repeat(32), hmacKeyVersion: 2 } }),
    );
    expect(pseudonymise(after, 'alice').keyVersion).toBe(2);
    expect(subjectHashes(after, 'alice')).toContain(old.hash);
  });
});
