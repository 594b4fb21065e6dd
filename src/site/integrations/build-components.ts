/**
 * Bundles the components for publishing: `assent.js` (the one entry: defines the elements a
 * page uses), one module per element, `assent-shared.js` (Lit and components/shared, which they
 * all import) and chunks loaded on demand, minified, with source maps; plus
 * `custom-elements.json` (Custom Elements Manifest) and TypeScript declarations.
 *
 * A build tool, kept out of components/ (which holds browser code only).
 *
 *   await buildComponents('dist/assent'); // → ['assent.js', 'assent-accept.js', …]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { transform as transformCss } from 'lightningcss';
import { minifyHTMLLiterals } from 'minify-literals';
import { minify } from 'terser';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const componentsDir = join(projectRoot, 'components');

/** Published module → its source entry. */
export const ENTRIES: Record<string, string> = {
  assent: 'assent.ts',
  'assent-accept': 'accept/define.ts',
  'assent-cookies': 'cookies/define.ts',
  'assent-update': 'update/define.ts',
};

export interface BuildOptions {
  /** Also write custom-elements.json and the .d.ts files (default true). */
  metadata?: boolean;
}

export interface BuiltFile {
  file: string;
  /** Files it imports statically (loaded with it) and dynamically (loaded on demand). */
  imports: string[];
  dynamicImports: string[];
}

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  // Lit and components/shared once, in the shared chunk; the preferences dialog, the frame gate,
  // the outbox and each locale in chunks loaded on demand.
  splitting: true,
  chunkNames: '[name]-[hash]',
  // Keep Chinese strings as UTF-8 rather than \u escapes: fewer bytes.
  charset: 'utf8',
  // Lit's licence notices go to a file beside the chunk that holds it (*.js.LEGAL.txt).
  legalComments: 'external',
  metafile: true,
  logLevel: 'warning',
} as const;

/**
 * Property names that only Assent's own classes and objects use between its modules (protected
 * members, internal state, what the elements hand their on-demand parts): esbuild shortens them
 * the same way in every chunk (190 bytes gzip over the kit). A name here must be declared in
 * components/ and used by no browser API, no library and no JSON format (manifest, records,
 * cookies, the outbox): a property of the same name anywhere in the bundle would be renamed too.
 * Names read as strings (`changed.has('loaded')`) and public API stay out.
 */
export const INTERNAL_PROPERTY_NAMES = [
  'acceptVersion',
  'banner',
  'beacon',
  'catching',
  'confirmed',
  'current',
  'declined',
  'detailOf',
  'dialog',
  'draft',
  'fail',
  'follow',
  'gpcLine',
  'listen',
  'loadOnce',
  'manifestLoaded',
  'refused',
  'sendAbout',
  'statusLine',
  'trapFocus',
  'unseen',
  'upcoming',
];
const INTERNAL_PROPERTIES = new RegExp(`^(${INTERNAL_PROPERTY_NAMES.join('|')})$`);

/** Writes the published component files into `outDir`; returns their names. */
export async function buildComponents(outDir: string, options: BuildOptions = {}): Promise<string[]> {
  const files = (await bundle(outDir)).map((f) => f.file);
  if (options.metadata !== false) {
    elementsManifest(outDir);
    files.push('custom-elements.json', ...declarations(outDir));
  }
  return files;
}

/**
 * Bundles the entries with code splitting. Every module imports Lit and components/shared
 * through components/shared/index.ts, so they land in one chunk (`shared-*.js`); what one
 * element alone uses stays in its module; what is imported on demand gets a chunk of its own.
 */
export async function bundle(outDir: string): Promise<BuiltFile[]> {
  const result = await build({
    ...common,
    entryPoints: Object.entries(ENTRIES).map(([out, source]) => ({ out, in: join(componentsDir, source) })),
    outdir: outDir,
    plugins: [templateMinifier],
    mangleProps: INTERNAL_PROPERTIES,
    write: false,
  });
  await writeMinified(result.outputFiles);
  const name = (path: string) => relative(outDir, join(process.cwd(), path));
  return Object.entries(result.metafile.outputs).map(([file, output]) => {
    const imports = (kind: string) => output.imports.filter((i) => i.kind === kind).map((i) => name(i.path));
    return {
      file: name(file),
      imports: imports('import-statement'),
      dynamicImports: imports('dynamic-import'),
    };
  });
}

/**
 * Writes esbuild's output, each module passed through Terser first. esbuild minifies one module
 * at a time as it parses it; Terser's compressor then works on the whole chunk (inlining,
 * joining statements, shorter forms across module boundaries): bench/bundle measured 290 bytes
 * gzip less over the kit, 240 on the banner's path. The source maps are chained, so they still
 * point into components/.
 */
async function writeMinified(files: { path: string; text: string }[]): Promise<void> {
  const maps = new Map(files.filter((f) => f.path.endsWith('.js.map')).map((f) => [f.path, f.text]));
  for (const { path, text } of files) {
    mkdirSync(dirname(path), { recursive: true });
    if (maps.has(path)) continue;
    if (!path.endsWith('.js')) {
      writeFileSync(path, text);
      continue;
    }
    const minified = await minify(text, {
      module: true,
      ecma: 2020,
      format: { ascii_only: false, comments: false },
      sourceMap: { content: maps.get(`${path}.map`), url: `${basename(path)}.map`, includeSources: true },
    });
    writeFileSync(path, minified.code!);
    writeFileSync(`${path}.map`, minified.map as string);
  }
}

/**
 * Writes `custom-elements.json` into `outDir` with the analyzer's CLI and our configuration
 * (custom-elements-manifest.config.mjs beside this file); returns the manifest.
 */
export function elementsManifest(outDir: string): any {
  const cem = spawnSync(
    process.execPath,
    [
      join(projectRoot, 'node_modules/@custom-elements-manifest/analyzer/cem.js'),
      'analyze',
      '--config',
      fileURLToPath(new URL('custom-elements-manifest.config.mjs', import.meta.url)),
      // The CLI joins the output folder to its working directory.
      '--outdir',
      relative(projectRoot, outDir),
    ],
    { cwd: projectRoot, encoding: 'utf8' },
  );
  if (cem.status !== 0) throw new Error(`custom-elements.json failed:\n${cem.stdout}${cem.stderr}`);
  return JSON.parse(readFileSync(join(outDir, 'custom-elements.json'), 'utf8'));
}

/** `.d.ts` files under `types/`, and one per published module that re-exports its entry. */
function declarations(outDir: string): string[] {
  const tsc = spawnSync(
    process.execPath,
    [
      join(projectRoot, 'node_modules/typescript/bin/tsc'),
      '-p',
      fileURLToPath(new URL('tsconfig.components-types.json', import.meta.url)),
      '--outDir',
      join(outDir, 'types'),
    ],
    { encoding: 'utf8' },
  );
  if (tsc.status !== 0)
    throw new Error(`declarations for the components failed:\n${tsc.stdout}${tsc.stderr}`);
  // Sources import each other as .ts; the published declarations sit beside .js names.
  const types = join(outDir, 'types');
  for (const file of readdirSync(types, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.d.ts'),
  )) {
    const path = join(types, file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/(from '\.{1,2}\/[^']*)\.ts'/g, "$1.js'"));
  }
  return Object.entries(ENTRIES).map(([out, source]) => {
    const file = `${out}.d.ts`;
    const target = `./types/components/${source.replace(/\.ts$/, '.js')}`;
    writeFileSync(join(outDir, file), `export * from '${target}';\n`);
    return file;
  });
}

/**
 * esbuild minifies code but not the text of template literals, and Lit's `html` and `css`
 * templates are written indented across lines. minify-literals parses each of our sources
 * (TypeScript, regular expressions and all), minifies the text of `html` templates with
 * html-minifier-next (keeping Lit's bindings) and of `css` templates with Lightning CSS, and
 * leaves everything else as it was. Lit's own sources are already minified.
 */
const templateMinifier: Plugin = {
  name: 'assent-template-minifier',
  setup(builder) {
    builder.onLoad({ filter: /components\/.*\.ts$/ }, async ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const minified = await minifyHTMLLiterals(source, { fileName: path, css: minifyCss });
      return { contents: minified?.code ?? source, loader: 'ts' };
    });
  },
};

/**
 * Minifies a style sheet with Lightning CSS. In token lists (custom properties, `var()`
 * fallbacks) Lightning CSS writes numbers with six significant digits, so `var(--assent-z-index,
 * 2147483000)` shipped as 2147480000. Numbers of seven digits or more pass through it as
 * identifiers and are put back as written.
 *
 *   minifyCss(':host { z-index: var(--z, 2147483000); }') → ':host{z-index:var(--z,2147483000)}'
 */
export function minifyCss(text: string): string {
  const numbers: string[] = [];
  const guarded = text.replace(/(?<![\w#.-])(?:\d+\.?\d*|\.\d+)/g, (number) =>
    number.replace(/\D|^0+/g, '').length < 7 ? number : `assent-number-${numbers.push(number) - 1}-`,
  );
  const minified = transformCss({ filename: 'template.css', code: Buffer.from(guarded), minify: true });
  return minified.code.toString().replace(/assent-number-(\d+)-/g, (_, i: string) => numbers[Number(i)]!);
}
