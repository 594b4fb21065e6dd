/**
 * bench/bundle: what a partner page downloads for Assent, next to the two consent managers it is
 * most often compared with, all measured the same way in the same run.
 *
 *   node bench/bundle/run.ts
 *
 * Builds the components as the site publishes them (src/site/integrations/build-components.ts) and prints the
 * minified, gzip (level 9, each file on its own, as a browser fetches it) and brotli size of
 * every published module and chunk; then the sums: the critical path (what must load before
 * the cookie banner paints: assent.js, assent-cookies.js and every chunk they import
 * statically, which hold the banner's strings; also without assent.js, for a page that loads
 * assent-cookies.js itself) and the whole kit (every .js file); then the shipped dist
 * files of vanilla-cookieconsent (JS + CSS) and Klaro (its default build, CSS inside the JS)
 * from node_modules. Budgets (1 KB = 1,000 bytes, as in the issue): critical path at most
 * 10,000 bytes gzip, whole kit at most 15,000. Writes bench/results/bundle.json; exits 1 when
 * over budget. Then what each chunk is made of: its minified bytes per source module (Lit's
 * packages, our files), read from its source map (breakdown.ts).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { bundle } from '../../src/site/integrations/build-components.ts';
import { breakdown, type ModuleBytes } from './breakdown.ts';

const root = join(import.meta.dirname, '../..');
const work = join(root, 'bench/.work/bundle');
const BUDGET = { critical: 10_000, total: 15_000 };

interface Row {
  name: string;
  files: string[];
  min: number;
  gzip: number;
  brotli: number;
}

function measure(name: string, files: string[]): Row {
  const sizes = files.map((file) => {
    const bytes = readFileSync(file);
    return {
      min: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes).length,
    };
  });
  const sum = (key: 'min' | 'gzip' | 'brotli') => sizes.reduce((total, s) => total + s[key], 0);
  return {
    name,
    files: files.map((f) => f.replace(root + '/', '')),
    min: sum('min'),
    gzip: sum('gzip'),
    brotli: sum('brotli'),
  };
}

const version = (pkg: string) =>
  JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const built = (await bundle(work)).filter((f) => f.file.endsWith('.js'));
const byName = new Map(built.map((f) => [f.file, f]));

/** A module and every chunk it imports statically: what the browser loads before it runs. */
function closure(file: string, into = new Set<string>()): Set<string> {
  if (into.has(file)) return into;
  into.add(file);
  for (const imported of byName.get(file)!.imports) closure(imported, into);
  return into;
}

const assent = built.map((f) => measure(f.file, [join(work, f.file)])).sort((a, b) => b.gzip - a.gzip);
const modules: Record<string, ModuleBytes[]> = Object.fromEntries(
  assent.map((row) => [row.name, breakdown(join(work, row.name), row.gzip, root)]),
);
const critical = measure(
  'critical path: banner (assent.js, assent-cookies.js, their imports)',
  [...closure('assent-cookies.js', closure('assent.js'))].map((f) => join(work, f)),
);
// A page may load an element's module instead of assent.js (README): the banner's module alone.
const bannerAlone = measure(
  'banner alone (assent-cookies.js and its imports, no assent.js)',
  [...closure('assent-cookies.js')].map((f) => join(work, f)),
);
const total = measure(
  'whole kit (every .js file)',
  built.map((f) => join(work, f.file)),
);
const cookieconsent = join(root, 'node_modules/vanilla-cookieconsent/dist');
const klaro = join(root, 'node_modules/klaro/dist');
const others = [
  measure(`vanilla-cookieconsent ${version('vanilla-cookieconsent')} JS`, [
    join(cookieconsent, 'cookieconsent.umd.js'),
  ]),
  measure(`vanilla-cookieconsent ${version('vanilla-cookieconsent')} CSS`, [
    join(cookieconsent, 'cookieconsent.css'),
  ]),
  measure(`vanilla-cookieconsent ${version('vanilla-cookieconsent')} JS + CSS`, [
    join(cookieconsent, 'cookieconsent.umd.js'),
    join(cookieconsent, 'cookieconsent.css'),
  ]),
  measure(`klaro ${version('klaro')} (klaro.js, CSS inside)`, [join(klaro, 'klaro.js')]),
  measure(`klaro ${version('klaro')} JS + CSS (klaro-no-css.js + klaro.min.css)`, [
    join(klaro, 'klaro-no-css.js'),
    join(klaro, 'klaro.min.css'),
  ]),
];

const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`.padStart(9);
const print = (row: Row) =>
  console.log(`${row.name.padEnd(58)} ${kb(row.min)} ${kb(row.gzip)} ${kb(row.brotli)}`);
console.log(`${'bundle'.padEnd(58)} ${'minified'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`);
assent.forEach(print);
console.log('');
print(critical);
print(bannerAlone);
print(total);
others.forEach(print);

console.log('\nwhat each chunk is made of (minified bytes from its source map; gzip: its share)');
for (const [chunk, rows] of Object.entries(modules)) {
  console.log(chunk);
  for (const row of rows)
    console.log(`  ${row.source.padEnd(56)} ${String(row.min).padStart(9)} ${String(row.gzip).padStart(9)}`);
}
console.log('');

const within = critical.gzip <= BUDGET.critical && total.gzip <= BUDGET.total;
for (const [row, budget] of [
  [critical, BUDGET.critical],
  [total, BUDGET.total],
] as const)
  console.log(
    `${row.name.split(' (')[0]}: ${row.gzip} bytes gzip, budget ${budget}: ${row.gzip <= budget ? 'within' : 'OVER'} (${budget - row.gzip} bytes to spare)`,
  );

mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/bundle.json'),
  JSON.stringify(
    {
      measured: new Date().toISOString(),
      unit: 'bytes',
      gzipLevel: 9,
      budget: { criticalGzip: BUDGET.critical, totalGzip: BUDGET.total, within },
      critical,
      bannerAlone,
      total,
      assent,
      modules,
      others,
    },
    null,
    2,
  ) + '\n',
);
rmSync(work, { recursive: true, force: true });
if (!within) process.exitCode = 1;
