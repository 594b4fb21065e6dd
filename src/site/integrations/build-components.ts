/**
 * Bundles the components for publishing: `assent.js` (all three elements) and one module per
 * element, each self-contained (Lit inside), minified, with source maps; plus
 * `custom-elements.json` (Custom Elements Manifest) and TypeScript declarations.
 *
 * A build tool, kept out of components/ (which holds browser code only).
 *
 *   await buildComponents('dist/assent'); // → ['assent.js', 'assent-accept.js', …]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const componentsDir = join(projectRoot, 'components');

/** Published module → its source entry. */
export const ENTRIES: Record<string, string> = {
  assent: 'assent.ts',
  'assent-accept': 'accept/define.ts',
  'assent-cookies': 'cookies/define.ts',
  'assent-update': 'update/define.ts',
};

/** Element source → the module that defines it, for custom-elements.json. */
const ELEMENT_MODULES: Record<string, string> = {
  'components/accept/accept.ts': 'assent-accept.js',
  'components/cookies/cookies.ts': 'assent-cookies.js',
  'components/update/update.ts': 'assent-update.js',
};

export interface BuildOptions {
  /** Also write custom-elements.json and the .d.ts files (default true). */
  metadata?: boolean;
}

/** Writes the published component files into `outDir`; returns their names. */
export async function buildComponents(outDir: string, options: BuildOptions = {}): Promise<string[]> {
  const result = await build({
    entryPoints: Object.entries(ENTRIES).map(([out, source]) => ({ out, in: join(componentsDir, source) })),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    // Keep Chinese strings as UTF-8 rather than \u escapes: fewer bytes.
    charset: 'utf8',
    // Lit's licence notices go to a file beside each bundle (assent.js.LEGAL.txt).
    legalComments: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [templateWhitespace],
  });
  const files = Object.keys(result.metafile.outputs).map((f) => relative(outDir, join(process.cwd(), f)));
  if (options.metadata !== false) {
    writeFileSync(
      join(outDir, 'custom-elements.json'),
      JSON.stringify(await elementsManifest(), null, 2) + '\n',
    );
    files.push('custom-elements.json', ...declarations(outDir));
  }
  return files;
}

function sourceFiles(): string[] {
  return readdirSync(componentsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `components/${f}`)
    .sort();
}

// The analyzer's published types describe its CLI, not create(): load it untyped.
const ANALYZER = '@custom-elements-manifest/analyzer';
const LIT_PLUGIN = `${ANALYZER}/src/features/framework-plugins/lit/lit.js`;

/** custom-elements.json from the sources, its element modules named as published. */
export async function elementsManifest(): Promise<any> {
  const { create, ts } = await import(ANALYZER);
  const { litPlugin } = await import(LIT_PLUGIN);
  const modules = sourceFiles().map((file) =>
    ts.createSourceFile(file, readFileSync(join(projectRoot, file), 'utf8'), ts.ScriptTarget.ES2022, true),
  );
  const manifest = create({ modules, plugins: litPlugin() });
  // Internal state (private or protected, Lit's `state: true`) is no attribute of the API.
  const internal = new Set<string>();
  for (const module of manifest.modules)
    for (const declaration of module.declarations ?? [])
      for (const member of declaration.members ?? [])
        if (member.privacy === 'private' || member.privacy === 'protected') internal.add(member.name);
  for (const module of manifest.modules) {
    const published = ELEMENT_MODULES[module.path];
    if (!published) continue;
    module.path = published;
    for (const declaration of module.declarations ?? []) {
      if (!declaration.tagName) continue;
      // Internal Lit plumbing is not part of the element's API.
      declaration.members = declaration.members?.filter((m: any) => !internal.has(m.name));
      declaration.attributes = declaration.attributes?.filter((a: any) => !internal.has(a.fieldName));
      // The analyzer also guesses events from `dispatchEvent(new X(…))`; the JSDoc @fires are the truth.
      declaration.events = declaration.events?.filter((e: any) => e.name?.startsWith('assent-'));
      module.exports.push({
        kind: 'custom-element-definition',
        name: declaration.tagName,
        declaration: { name: declaration.name, module: published },
      });
    }
  }
  return manifest;
}

/** `.d.ts` files under `types/`, and one per published module that re-exports its entry. */
function declarations(outDir: string): string[] {
  const tsconfig = join(mkdtempSync(join(tmpdir(), 'assent-types-')), 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(projectRoot, 'tsconfig.json'),
      compilerOptions: {
        noEmit: false,
        declaration: true,
        emitDeclarationOnly: true,
        rewriteRelativeImportExtensions: true,
        rootDir: projectRoot,
        outDir: join(outDir, 'types'),
        types: [],
        skipLibCheck: true,
      },
      files: Object.values(ENTRIES).map((source) => join(componentsDir, source)),
      include: [],
    }),
  );
  const tsc = spawnSync(
    process.execPath,
    [join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', tsconfig],
    {
      encoding: 'utf8',
    },
  );
  rmSync(join(tsconfig, '..'), { recursive: true, force: true });
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
 * templates are written indented across lines. In our own sources (not Lit's), this drops the
 * indentation: a run of whitespace with a line break becomes one space in `html` (where one
 * space renders as many) and CSS comments and optional spaces go from `css`. The source maps
 * point into the squeezed sources, which they carry.
 */
const templateWhitespace: Plugin = {
  name: 'assent-template-whitespace',
  setup(builder) {
    builder.onLoad({ filter: /components\/.*\.ts$/ }, ({ path }) => ({
      contents: minifyTemplates(readFileSync(path, 'utf8')),
      loader: 'ts',
    }));
  },
};

/** Rewrites the text parts of `html` and `css` tagged templates; everything else is kept as is. */
export function minifyTemplates(source: string): string {
  let out = '';
  let i = 0;
  // Each open template: its tag, and how many `{` deep its current `${…}` is (-1: in the text).
  const templates: { tag: string; depth: number }[] = [];
  const inText = () => templates.at(-1)?.depth === -1;
  while (i < source.length) {
    const c = source[i]!;
    if (inText()) {
      const template = templates.at(-1)!;
      let j = i;
      while (j < source.length && source[j] !== '`' && !(source[j] === '$' && source[j + 1] === '{'))
        j += source[j] === '\\' ? 2 : 1;
      out += squeeze(source.slice(i, j), template.tag);
      if (source[j] === '`') {
        templates.pop();
        out += '`';
        i = j + 1;
      } else {
        template.depth = 0;
        out += '${';
        i = j + 2;
      }
      continue;
    }
    const next = source[i + 1];
    if (c === '/' && (next === '/' || next === '*')) {
      const end = next === '/' ? source.indexOf('\n', i) : source.indexOf('*/', i) + 2;
      const stop = end < (next === '/' ? 0 : 2) ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (c === '`') {
      templates.push({ tag: /(html|css)\s*$/.exec(out)?.[1] ?? '', depth: -1 });
      out += c;
      i++;
    } else {
      const template = templates.at(-1);
      if (template && c === '{') template.depth++;
      if (template && c === '}' && template.depth-- === 0) template.depth = -1;
      out += c;
      i++;
    }
  }
  return out;
}

function squeeze(text: string, tag: string): string {
  if (tag === 'html') return text.replace(/\s*\n\s*/g, ' ');
  if (tag === 'css')
    return text
      .replace(/\/\*[^]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,>]) ?/g, '$1')
      .replace(/([^:]:) (?=[^{]*[;}])/g, '$1')
      .replace(/;}/g, '}')
      .replace(/([^\w.-])0\./g, '$1.')
      .replace(/='([\w-]+)'\]/g, '=$1]');
  return text;
}
