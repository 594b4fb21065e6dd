/**
 * Runs `astro build` for this project in a child process, as `npm start`, the tests and the
 * benchmarks all do: into a given folder, with the ASSENT_* settings given (content folder,
 * build date, cache), telemetry off, and Astro's whole output kept for the caller.
 *
 *   const { code, output } = await astroBuild({ outDir: '/tmp/site', env: { ASSENT_BUILD_DATE: '2021-06-01' } });
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const astro = fileURLToPath(new URL('../../node_modules/astro/bin/astro.mjs', import.meta.url));

export interface AstroBuildResult {
  code: number | null;
  /** stdout and stderr, interleaved. */
  output: string;
}

export function astroBuild(options: {
  outDir: string;
  env?: Record<string, string | undefined>;
  /** More `astro build` arguments, e.g. `['--root', dir, '--force']`. */
  args?: string[];
}): Promise<AstroBuildResult> {
  const child = spawn(
    process.execPath,
    [astro, 'build', ...(options.args ?? []), '--outDir', options.outDir],
    {
      cwd: projectRoot,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}
