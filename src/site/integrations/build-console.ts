/**
 * Bundles the operator console (src/console/, browser code only) into `outDir`: `console.js`
 * (Lit, d3-scale and d3-shape inside, minified, with a source map), `index.html` and
 * `console.css`. The endpoint serves the folder at /console/ (src/server/routes/console.ts).
 * A build tool, kept out of src/console/.
 *
 *   const { files, inputs } = await buildConsole('dist/console');
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
const consoleDir = join(projectRoot, 'src/console');

export interface ConsoleBuild {
  /** The files written, relative to `outDir`. */
  files: string[];
  /** Every source the bundle took in, relative to the project: what the import wall checks. */
  inputs: string[];
}

export async function buildConsole(outDir: string): Promise<ConsoleBuild> {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [{ out: 'console', in: join(consoleDir, 'main.ts') }],
    outdir: outDir,
    bundle: true,
    format: 'esm',
    // Node built-ins cannot be bundled for the browser: importing one fails the build.
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    charset: 'utf8',
    legalComments: 'external',
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: projectRoot,
  });
  for (const file of ['index.html', 'console.css']) copyFileSync(join(consoleDir, file), join(outDir, file));
  const files = Object.keys(result.metafile.outputs).map((f) => relative(outDir, join(projectRoot, f)));
  return { files: [...files, 'index.html', 'console.css'], inputs: Object.keys(result.metafile.inputs) };
}
