/**
 * Two endpoint processes on one SQLite data folder would each append to "the end" of the chain.
 * The second must refuse to start and say why; once the first is gone (even killed), the
 * folder is free again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/paths.ts';
import { manifestFile } from '../helpers/records.ts';

const cli = join(projectRoot, 'src/cli/assent.ts');
const env = { ...process.env, ASSENT_LOG_LEVEL: 'silent' };
const serveArgs = (dataDir: string) => [
  'serve',
  '--port',
  '0',
  '--data',
  dataDir,
  '--manifest',
  manifestFile,
];

describe('one endpoint per data folder', () => {
  it('refuses a second process on a data folder in use before it writes into it, and frees the folder when the first is killed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-lock-'));
    const first = spawn(process.execPath, [cli, ...serveArgs(dataDir)], {
      env: { ...env, ASSENT_HMAC_SECRET: '07'.repeat(32) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => first.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: first.stdout! }).on(
          'line',
          (line) => line.startsWith('assent: listening') && resolve(),
        );
        first.once('exit', (code) => reject(new Error(`the first endpoint exited (${code})`)));
      });
      const second = spawnSync(process.execPath, [cli, ...serveArgs(dataDir)], {
        env,
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`another Assent endpoint is already using the data folder ${dataDir}`);
      // The first runs with a configured key; the refused one must not leave a generated key
      // file of its own in the folder (it would outlive it, beside the first one's records).
      expect(existsSync(join(dataDir, 'hmac-keys.json'))).toBe(false);
    } finally {
      first.kill('SIGKILL');
      await exited;
    }
    const third = spawn(process.execPath, [cli, ...serveArgs(dataDir)], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const listening = await new Promise<boolean>((resolve) => {
      createInterface({ input: third.stdout! }).on(
        'line',
        (line) => line.startsWith('assent: listening') && resolve(true),
      );
      third.once('exit', () => resolve(false));
    });
    const stopped = new Promise((resolve) => third.once('exit', resolve));
    third.kill('SIGTERM');
    await stopped;
    expect(listening).toBe(true);
  }, 60_000);
});
