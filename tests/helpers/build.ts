import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { projectRoot } from './paths.ts';

export interface BuildResult {
  code: number | null;
  output: string;
  outDir: string;
}

/** Runs `astro build` into a fresh folder, as of `buildDate`, from `contentDir` (default content/). */
export function buildSite(options: { buildDate: string; contentDir?: string }): Promise<BuildResult> {
  const outDir = mkdtempSync(join(tmpdir(), 'assent-dist-'));
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', outDir],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        ASTRO_TELEMETRY_DISABLED: '1',
        ASSENT_BUILD_DATE: options.buildDate,
        ...(options.contentDir ? { ASSENT_CONTENT_DIR: options.contentDir } : {}),
      },
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output, outDir })));
}

/** A built page as a DOM. */
export function page(outDir: string, path: string): Document {
  const file = join(outDir, path, path.endsWith('.json') ? '' : 'index.html');
  return parseHTML(readFileSync(file, 'utf8')).document;
}
