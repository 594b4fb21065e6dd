/**
 * bench/build: how long the site takes to build per document version, next to a plain Astro 7
 * build of the same Markdown with Astro's default processor, in the same run.
 *
 *   node bench/build/run.ts [--sizes 50,200,1000] [--runs 3]
 *
 * Then the editor's case: one file of the N edited, and both projects built again with their
 * caches (no `--force`), Assent's incremental build next to plain Astro's own, alternating;
 * and Assent built again with nothing changed, the floor of any incremental build.
 * For each size N it writes N versions generated from the two seed documents (documents of ten
 * versions each, every version a small edit of the one before), then builds them twice, in
 * alternating order and cold (`--force`): the Assent site (every feature on: lint, anchors,
 * digest, history, diffs, manifest) and a plain project (glob loader, one page per file
 * rendering `<Content />`). The Assent site emits about two pages per version (the version and
 * its changes page), so both ratios are printed: per source version and per page written.
 * Prints medians and writes bench/results/build.json.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { splitFrontMatter } from '../../src/content/front-matter.ts';
import { astroBuild } from '../../src/site/astro-build.ts';

const root = join(import.meta.dirname, '../..');
const work = join(root, 'bench/.work/build');

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '50,200,1000' }, runs: { type: 'string', default: '3' } },
});
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);

const seeds = [
  { kind: 'agreement', file: 'content/weisure-service-agreement/2018-06-01.md', acceptance: 'required' },
  { kind: 'privacy', file: 'content/besttrav-privacy-policy/2020-12-01.md', acceptance: 'notice' },
].map((s) => ({ ...s, body: splitFrontMatter(readFileSync(join(root, s.file), 'utf8')).body }));

const VERSIONS_PER_DOCUMENT = 10;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Version k of a seed: the seed with k small, cumulative edits, so every diff has something to show. */
function editedBody(body: string, k: number): string {
  const paragraphs = body.split('\n\n');
  for (let edit = 1; edit <= k; edit++) {
    const i = (edit * 7) % paragraphs.length;
    if (paragraphs[i]!.startsWith('#')) continue;
    paragraphs[i] = paragraphs[i]!.replace(/。$/, `，并于第 ${edit} 次修订中予以明确。`);
  }
  return paragraphs.join('\n\n');
}

function writeContent(dir: string, n: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'site.json'), JSON.stringify({ title: { 'zh-CN': '基准测试' }, locale: 'zh-CN' }));
  for (let i = 0; i < n; i++) {
    const doc = Math.floor(i / VERSIONS_PER_DOCUMENT);
    const k = i % VERSIONS_PER_DOCUMENT;
    const seed = seeds[doc % seeds.length]!;
    const slug = `${seed.kind}-${doc}`;
    const effective = addDays('2019-01-01', k * 30);
    mkdirSync(join(dir, slug), { recursive: true });
    const front = [
      '---',
      `title: 基准文件 ${doc}`,
      `kind: ${seed.kind}`,
      'locale: zh-CN',
      `published: ${addDays(effective, -10)}`,
      `effective: ${effective}`,
      `acceptance: ${k % 3 === 0 ? 'required' : seed.acceptance}`,
      `summary: 第 ${k} 次修订。`,
      '---',
      '',
    ].join('\n');
    writeFileSync(join(dir, slug, `${effective}.md`), front + editedBody(seed.body, k));
  }
}

/** A minimal Astro project rendering the same files with Astro's default Markdown processor. */
function writePlainProject(dir: string, content: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src/pages'), { recursive: true });
  writeFileSync(join(dir, 'astro.config.mjs'), `export default { devToolbar: { enabled: false } };\n`);
  writeFileSync(
    join(dir, 'src/content.config.ts'),
    `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
export const collections = { docs: defineCollection({ loader: glob({ pattern: '**/*.md', base: ${JSON.stringify(content)} }) }) };
`,
  );
  writeFileSync(
    join(dir, 'src/pages/[...id].astro'),
    `---
import { getCollection, render } from 'astro:content';
export async function getStaticPaths() {
  return (await getCollection('docs')).map((entry) => ({ params: { id: entry.id }, props: { entry } }));
}
const { entry } = Astro.props;
const { Content } = await render(entry);
---
<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8" /><title>{entry.data.title}</title></head>
<body><main><h1>{entry.data.title}</h1><Content /></main></body></html>
`,
  );
}

interface Timed {
  ms: number;
  pages: number;
}

async function run(
  args: string[],
  env: Record<string, string>,
  outDir: string,
  { cold = true } = {},
): Promise<Timed> {
  rmSync(outDir, { recursive: true, force: true });
  const started = performance.now();
  // --force: a cold build (no content-layer cache), the same for both projects.
  const { code, output } = await astroBuild({ outDir, env, args: cold ? [...args, '--force'] : args });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`astro build ${args.join(' ')} failed:\n${output}`);
  const pages = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.html'),
  ).length;
  return { ms, pages };
}

/** Runs both, alternating which goes first round by round, so that warm caches favour neither. */
async function inTurn(round: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<void> {
  for (const step of round % 2 === 0 ? [a, b] : [b, a]) await step();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const results = [];
for (const n of sizes) {
  const content = join(work, `n${n}/content`);
  const plain = join(work, `n${n}/plain`);
  writeContent(content, n);
  writePlainProject(plain, content);
  const assentRuns: Timed[] = [];
  const plainRuns: Timed[] = [];
  for (let r = 0; r < runs; r++) {
    const assent = () =>
      run(
        [],
        { ASSENT_CONTENT_DIR: content, ASSENT_BUILD_DATE: '2030-01-01' },
        join(work, `n${n}/dist-assent`),
      ).then((t) => assentRuns.push(t));
    const baseline = () =>
      run(['--root', plain], {}, join(work, `n${n}/dist-plain`)).then((t) => plainRuns.push(t));
    await inTurn(r, assent, baseline);
  }
  // The editor's case: one sentence changed in one file in the middle of the history, then a
  // build that may use what the last one left (the cold runs above filled both caches).
  const edited = join(
    content,
    readdirSync(content)
      .filter((d) => !d.endsWith('.json'))
      .sort()[Math.floor(n / 20)]!,
  );
  const editedFile = join(edited, readdirSync(edited).sort()[4]!);
  const assentEdits: number[] = [];
  const plainEdits: number[] = [];
  for (let r = 0; r < runs; r++) {
    writeFileSync(editedFile, readFileSync(editedFile, 'utf8') + `\n第 ${r + 1} 次编辑补充的一句话。\n`);
    const assent = () =>
      run(
        [],
        { ASSENT_CONTENT_DIR: content, ASSENT_BUILD_DATE: '2030-01-01' },
        join(work, `n${n}/dist-assent`),
        { cold: false },
      ).then((t) => assentEdits.push(t.ms));
    const baseline = () =>
      run(['--root', plain], {}, join(work, `n${n}/dist-plain`), { cold: false }).then((t) =>
        plainEdits.push(t.ms),
      );
    await inTurn(r, assent, baseline);
  }
  // The floor: nothing changed at all. What Astro costs to start, sync and copy every page.
  const assentNoop: number[] = [];
  for (let r = 0; r < runs; r++) {
    await run(
      [],
      { ASSENT_CONTENT_DIR: content, ASSENT_BUILD_DATE: '2030-01-01' },
      join(work, `n${n}/dist-assent`),
      { cold: false },
    ).then((t) => assentNoop.push(t.ms));
  }
  const a = median(assentRuns.map((t) => t.ms));
  const p = median(plainRuns.map((t) => t.ms));
  const ae = median(assentEdits);
  const pe = median(plainEdits);
  const row = {
    versions: n,
    runs,
    assent: {
      medianMs: Math.round(a),
      pages: assentRuns[0]!.pages,
      msPerVersion: a / n,
      msPerPage: a / assentRuns[0]!.pages,
    },
    plain: {
      medianMs: Math.round(p),
      pages: plainRuns[0]!.pages,
      msPerVersion: p / n,
      msPerPage: p / plainRuns[0]!.pages,
    },
    ratioPerVersion: a / p,
    ratioPerPage: a / assentRuns[0]!.pages / (p / plainRuns[0]!.pages),
    oneFileEdited: {
      assentMs: Math.round(ae),
      plainMs: Math.round(pe),
      shareOfAssentCold: ae / a,
      ratioToPlain: ae / pe,
    },
    nothingChanged: { assentMs: Math.round(median(assentNoop)), shareOfAssentCold: median(assentNoop) / a },
  };
  results.push(row);
  console.log(
    `N=${String(n).padStart(4)}  assent ${row.assent.msPerVersion.toFixed(1).padStart(6)} ms/version (${row.assent.pages} pages, ${row.assent.msPerPage.toFixed(1)} ms/page)` +
      `  plain ${row.plain.msPerVersion.toFixed(1).padStart(6)} ms/version (${row.plain.pages} pages)` +
      `  ratio ${row.ratioPerVersion.toFixed(2)}× per version, ${row.ratioPerPage.toFixed(2)}× per page`,
  );
  console.log(
    `        one file edited: assent ${Math.round(ae)} ms (${((100 * ae) / a).toFixed(0)} % of its cold build)` +
      `  plain ${Math.round(pe)} ms  ratio ${(ae / pe).toFixed(2)}×`,
  );
  console.log(
    `        nothing changed: assent ${row.nothingChanged.assentMs} ms (${(100 * row.nothingChanged.shareOfAssentCold).toFixed(0)} % of its cold build)`,
  );
}

mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/build.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2),
);
