/**
 * bench/bundle: what a partner page downloads for Assent, next to the two consent managers it is
 * most often compared with, all measured the same way in the same run.
 *
 *   node bench/bundle/run.ts
 *
 * Builds the components as the site publishes them (src/site/integrations/build-components.ts) and prints the
 * minified, gzip (level 9) and brotli size of `assent.js` (all three elements with Lit,
 * styles and both locales) and of each element module; then the shipped dist files
 * of vanilla-cookieconsent (JS + CSS) and Klaro (its default build, CSS inside the JS) from
 * node_modules. Budget: assent.js at most 15,000 bytes gzip (1 KB = 1,000 bytes, as in the
 * issue). Writes bench/results/bundle.json; exits 1 when over budget.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { buildComponents } from '../../src/site/integrations/build-components.ts';

const root = join(import.meta.dirname, '../..');
const work = join(root, 'bench/.work/bundle');
const BUDGET = 15_000;

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
await buildComponents(work, { metadata: false });

const assent = ['assent.js', 'assent-accept.js', 'assent-cookies.js', 'assent-update.js'].map((file) =>
  measure(file, [join(work, file)]),
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
others.forEach(print);

const total = assent[0]!;
const within = total.gzip <= BUDGET;
console.log(
  `\nassent.js: ${total.gzip} bytes gzip, budget ${BUDGET}: ${within ? 'within' : 'OVER'} (${BUDGET - total.gzip} bytes to spare)`,
);

mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/bundle.json'),
  JSON.stringify(
    {
      measured: new Date().toISOString(),
      unit: 'bytes',
      gzipLevel: 9,
      budget: { file: 'assent.js', gzip: BUDGET, within },
      assent,
      others,
    },
    null,
    2,
  ) + '\n',
);
rmSync(work, { recursive: true, force: true });
if (!within) process.exitCode = 1;
