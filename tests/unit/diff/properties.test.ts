/**
 * Properties of the version diff over random documents and random edits: whatever the input,
 * it answers, accounts for every block once, and never reports what a reader cannot see.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/cli/commands/diff.ts';
import { changeReport } from '../../../src/diff/change-report.ts';
import { clauseDiff, type ClauseChange } from '../../../src/diff/clause-diff.ts';
import type { ClauseBlock } from '../../../src/markdown/clause-blocks.ts';

const WORDS = [
  'we',
  'you',
  'may',
  'not',
  'sell',
  'your',
  'data',
  'account',
  'GitHub',
  'Service',
  '30',
  'days',
  '我们',
  '您',
  '个人信息',
  '删除',
  '不会',
  '出售',
  '服务',
  '条款',
];
const PUNCTUATION = ['', '', ',', '.', '，', '。', '；'];
const CJK = /\p{Script=Han}/u;

/** A block as runs of words, some bold: what a random edit works on. */
interface BlockSpec {
  key: string;
  kind: 'heading' | 'text';
  runs: Array<{ words: string[]; bold: boolean; end: string }>;
  section?: number;
}

const runArb = fc.record({
  words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }),
  bold: fc.boolean(),
  end: fc.constantFrom(...PUNCTUATION),
});
const specArb: fc.Arbitrary<BlockSpec> = fc.record(
  {
    key: fc.constantFrom('c1', 'c2', 'c3', 'c3+1', 'c3+2', 'c4', 'preamble+1', 's1', 's2'),
    kind: fc.constantFrom('text', 'text', 'text', 'heading'),
    runs: fc.array(runArb, { minLength: 1, maxLength: 4 }),
    section: fc.nat(3),
  },
  { requiredKeys: ['key', 'kind', 'runs'] },
);
const docArb = fc.array(specArb, { maxLength: 12 });

/** Words joined as written: a space between Latin words, none between Chinese ones. */
function join(words: string[]): string {
  let text = '';
  for (const w of words) {
    const last = text.at(-1);
    text += last === undefined || (CJK.test(last) && CJK.test(w[0]!)) ? w : ` ${w}`;
  }
  return text;
}

function block(spec: BlockSpec): ClauseBlock {
  const pieces = spec.runs.map((r) => join(r.words) + r.end);
  return {
    key: spec.key,
    anchor: spec.key.replace(/\+\d+$/, ''),
    kind: spec.kind,
    text: pieces.join(' '),
    // As `boldPassages` gives them: spaces collapsed, trimmed.
    strong: spec.runs.flatMap((r, i) => (r.bold ? [pieces[i]!] : [])),
    ...(spec.section !== undefined
      ? { section: { anchor: `s${spec.section}`, text: `Section ${spec.section}` } }
      : {}),
  };
}

const blocks = (specs: BlockSpec[]) => specs.map(block);

/** Every old block once, in order, and every new block once, in order. */
function accountsForEveryBlock(changes: ClauseChange[], before: ClauseBlock[], after: ClauseBlock[]): void {
  const olds = changes.flatMap((c) => (c.op === 'added' ? [] : [c.before]));
  const news = changes.flatMap((c) => (c.op === 'removed' ? [] : [c.after]));
  expect(olds.length).toBe(before.length);
  expect(news.length).toBe(after.length);
  olds.forEach((b, i) => expect(b).toBe(before[i]));
  news.forEach((b, i) => expect(b).toBe(after[i]));
  const report = changeReport(changes);
  const unchanged = report.rows.reduce((n, r) => n + (r.type === 'unchanged' ? r.count : 0), 0);
  expect(unchanged + report.counts.changed + report.counts.removed).toBe(before.length);
  expect(unchanged + report.counts.changed + report.counts.added).toBe(after.length);
}

/**
 * The words shown for a changed clause are the new text, with the removed words of the old text
 * in order; every change shown is something a reader can see.
 */
function showsBothTexts(changes: ClauseChange[]): void {
  for (const c of changes) {
    if (c.op !== 'changed') continue;
    const marked = c.parts.filter((p) => p.op !== 'same');
    // Parts split where bold starts or ends; what a reader sees as one insertion is a run of them.
    const runs = c.parts.reduce<Array<{ op: string; text: string }>>((out, p) => {
      const last = out.at(-1);
      if (last?.op === p.op) last.text += p.text;
      else out.push({ op: p.op, text: p.text });
      return out;
    }, []);
    for (const r of runs) if (r.op !== 'same') expect(r.text.trim(), JSON.stringify(c.parts)).not.toBe('');
    if (c.formattingOnly) expect(marked).toEqual([]);
    if (c.formattingOnly) expect(c.emphasis.added.length + c.emphasis.removed.length).toBeGreaterThan(0);
    else expect(marked.length).toBeGreaterThan(0);
    const shown = c.parts
      .filter((p) => p.op !== 'removed')
      .map((p) => p.text)
      .join('');
    expect(shown).toBe(c.after.text);
    let from = 0;
    for (const p of c.parts.filter((p) => p.op === 'removed')) {
      const at = c.before.text.indexOf(p.text, from);
      expect(at, `"${p.text}" in "${c.before.text}"`).toBeGreaterThanOrEqual(0);
      from = at + p.text.length;
    }
  }
}

function runAll(before: ClauseBlock[], after: ClauseBlock[], locale: string): ClauseChange[] {
  const changes = clauseDiff(before, after, locale);
  const report = changeReport(changes);
  formatReport(report, { color: false });
  formatReport(report, { color: true });
  return changes;
}

type Edit = (doc: BlockSpec[]) => BlockSpec[];
const at = (doc: unknown[], n: number) => (doc.length ? n % doc.length : 0);

const insert = fc
  .tuple(fc.nat(), specArb)
  .map(([n, spec]): Edit => (doc) => [
    ...doc.slice(0, n % (doc.length + 1)),
    spec,
    ...doc.slice(n % (doc.length + 1)),
  ]);
const remove = fc.nat().map(
  (n): Edit =>
    (doc) =>
      doc.filter((_, i) => i !== at(doc, n)),
);
const reword = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...WORDS)).map(
  ([n, m, word]): Edit =>
    (doc) =>
      doc.map((spec, i) => {
        if (i !== at(doc, n)) return spec;
        const runs = spec.runs.map((r, k) =>
          k === at(spec.runs, m) ? { ...r, words: [...r.words.slice(1), word] } : r,
        );
        return { ...spec, runs };
      }),
);
const toggleBold = fc.tuple(fc.nat(), fc.nat()).map(
  ([n, m]): Edit =>
    (doc) =>
      doc.map((spec, i) =>
        i === at(doc, n)
          ? { ...spec, runs: spec.runs.map((r, k) => (k === at(spec.runs, m) ? { ...r, bold: !r.bold } : r)) }
          : spec,
      ),
);
const move = fc.tuple(fc.nat(), fc.nat()).map(([n, m]): Edit => (doc) => {
  if (doc.length < 2) return doc;
  const rest = doc.filter((_, i) => i !== at(doc, n));
  const to = m % (rest.length + 1);
  return [...rest.slice(0, to), doc[at(doc, n)]!, ...rest.slice(to)];
});
const editsArb = fc.array(fc.oneof(insert, remove, reword, toggleBold, move), { maxLength: 6 });

/** Changes a reader cannot see: spaces doubled, tabs, no-break spaces, lines re-wrapped, trailing spaces. */
const respaceArb = fc.array(fc.constantFrom('  ', ' \t', '\u00a0', ' \n ', '\u3000'), {
  minLength: 1,
  maxLength: 4,
});
function respace(b: ClauseBlock, spaces: string[]): ClauseBlock {
  let k = 0;
  const text = b.text.replace(/ /g, (space) => (k < spaces.length ? spaces[k++]! : space));
  return { ...b, text: `${spaces[0]}${text}${spaces.at(-1)}` };
}

const localeArb = fc.constantFrom('en', 'zh-CN', 'xx-not-a-locale!');

describe('diff properties', () => {
  it('answers for any two documents, and accounts for every block exactly once', () => {
    fc.assert(
      fc.property(docArb, docArb, localeArb, (a, b, locale) => {
        const [before, after] = [blocks(a), blocks(b)];
        const changes = runAll(before, after, locale);
        accountsForEveryBlock(changes, before, after);
        showsBothTexts(changes);
      }),
      { numRuns: 300 },
    );
  });

  it('answers for any sequence of edits (insert, delete, reword, bold, move), accounting for every block', () => {
    fc.assert(
      fc.property(docArb, editsArb, localeArb, (doc, edits, locale) => {
        const before = blocks(doc);
        const after = blocks(edits.reduce((d, edit) => edit(d), doc));
        const changes = runAll(before, after, locale);
        accountsForEveryBlock(changes, before, after);
        showsBothTexts(changes);
      }),
      { numRuns: 300 },
    );
  });

  it('reports nothing when a document is compared with itself', () => {
    fc.assert(
      fc.property(docArb, localeArb, (doc, locale) => {
        const before = blocks(doc);
        const report = changeReport(clauseDiff(before, blocks(doc), locale));
        expect(report.counts).toEqual({ changed: 0, added: 0, removed: 0, formatting: 0 });
        expect(formatReport(report, { color: false })).toMatch(/^0 changed, 0 added, 0 removed/);
      }),
    );
  });

  it('reports nothing when only spaces and line breaks changed', () => {
    fc.assert(
      fc.property(docArb, fc.array(respaceArb), localeArb, (doc, spacings, locale) => {
        const before = blocks(doc);
        const after = before.map((b, i) => (spacings[i] ? respace(b, spacings[i]) : b));
        const changes = clauseDiff(before, after, locale);
        expect(changes.filter((c) => c.op !== 'same')).toEqual([]);
      }),
    );
  });

  it('reports a change of bold alone as formatting only, never as changed words', () => {
    fc.assert(
      fc.property(
        docArb,
        fc.array(toggleBold, { minLength: 1, maxLength: 4 }),
        localeArb,
        (doc, edits, locale) => {
          const before = blocks(doc);
          const after = blocks(edits.reduce((d, edit) => edit(d), doc));
          for (const c of clauseDiff(before, after, locale)) {
            if (c.op === 'same') continue;
            expect(c).toMatchObject({ op: 'changed', formattingOnly: true });
            if (c.op === 'changed') expect(c.parts.every((p) => p.op === 'same')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
