/**
 * `astro dev` (what `npm run dev` runs) in a child process, on a content folder of the caller's,
 * on a free port: for the tests and bench/dev.
 *
 *   const dev = await startAstroDev(contentDir);
 *   await page.goto(`${dev.url}besttrav-privacy-policy/`);
 *   await dev.stop();
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface AstroDev {
  url: string;
  /** Everything the dev server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function startAstroDev(contentDir: string): Promise<AstroDev> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(projectRoot, 'node_modules/astro/bin/astro.mjs'),
      'dev',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: projectRoot,
      env: {
        // Not Vitest's own variables: under them Vite turns off the live reload being tested.
        ...Object.fromEntries(
          Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_ENV'),
        ),
        ASTRO_TELEMETRY_DISABLED: '1',
        ASSENT_CONTENT_DIR: contentDir,
        ASSENT_ASTRO_CACHE_DIR: mkdtempSync(join(tmpdir(), 'assent-dev-cache-')),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`astro dev exited:\n${output}`);
    try {
      if ((await fetch(url)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`astro dev did not answer within a minute:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
