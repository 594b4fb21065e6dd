/**
 * `npm run dev` (`assent dev`) in a child process, on a content folder and a data folder of the
 * caller's, on free ports, as an editor runs it: for the end-to-end test and bench/dev.
 *
 *   const dev = await startDevProcess({ contentDir, dataDir });
 *   await page.goto(`${dev.siteUrl}besttrav-privacy-policy/`);
 *   await dev.stop(); // Ctrl-C; resolves with the exit code
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface DevProcess {
  siteUrl: string;
  demoUrl: string;
  endpointUrl: string;
  operatorToken: string;
  /** Everything the command printed so far. */
  output(): string;
  /** Sends SIGINT, as Ctrl-C does; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startDevProcess(options: { contentDir: string; dataDir: string }): Promise<DevProcess> {
  const [sitePort, endpointPort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      join(projectRoot, 'src/cli/assent.ts'),
      'dev',
      '--port',
      String(sitePort),
      '--endpoint-port',
      String(endpointPort),
      '--content',
      options.contentDir,
      '--data',
      options.dataDir,
    ],
    {
      cwd: projectRoot,
      env: {
        // Not Vitest's own variables: under them Vite turns off the live reload being tested.
        ...Object.fromEntries(
          Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_ENV'),
        ),
        ASSENT_ASTRO_CACHE_DIR: mkdtempSync(join(tmpdir(), 'assent-dev-cache-')),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null) throw new Error(`assent dev exited:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`assent dev was not ready within a minute:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const printed = (label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(output)![1]!;
  return {
    siteUrl: printed('policy site'),
    demoUrl: printed('demo partner page'),
    endpointUrl: printed('record endpoint'),
    operatorToken: printed('operator token'),
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
