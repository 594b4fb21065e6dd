/**
 * The changes between two versions of a document, aligned clause by clause: blocks that read
 * the same are matched first (a longest-common-subsequence diff over whole blocks, blind to
 * spaces and line wrapping; a matched pair whose bold differs is a formatting change), then
 * within each changed stretch a removed and an added block are paired when they are the same
 * clause edited, and the pair gets a word-level diff. What remains is an added or a removed
 * clause: an old definition replaced by an unrelated new sentence is one of each, not a
 * "change" whose every word is struck out.
 *
 *   clauseDiff(clauseBlocks(parse(v1)), clauseBlocks(parse(v2)), 'zh-CN')
 *   → [{ op: 'same', … }, { op: 'changed', parts, emphasis, formattingOnly: false, … }, { op: 'added', … }]
 */
import { diffArrays } from 'diff';
import type { ClauseBlock } from '../markdown/clause-blocks.ts';
import { clauseWords, similarityTo, wordBag } from './similarity.ts';
import { visibleText } from './visible-text.ts';
import { textDiff, type EmphasisChange, type WordPart } from './word-diff.ts';

export type { EmphasisChange } from './word-diff.ts';

export type ClauseChange =
  | { op: 'same'; before: ClauseBlock; after: ClauseBlock }
  | {
      op: 'changed';
      before: ClauseBlock;
      after: ClauseBlock;
      parts: WordPart[];
      emphasis: EmphasisChange;
      /** The words are the same; only what is bold changed (see `emphasis`). */
      formattingOnly: boolean;
    }
  | { op: 'added'; after: ClauseBlock }
  | { op: 'removed'; before: ClauseBlock };

/** Two blocks with at least this share of words in common are one clause edited. */
const SAME_CLAUSE = 0.5;
/**
 * A block that keeps its clause number (its key) needs fewer words in common: a clause
 * reworded in place is still that clause. Numbers shift when a clause is inserted, so the
 * number alone never pairs two blocks, and a closer match elsewhere wins.
 */
const SAME_KEY_CLAUSE = 0.4;
const SAME_KEY_BONUS = 0.25;
/** Above this many removed × added blocks in one stretch, only blocks with the same key pair. */
const MAX_PAIRING_CELLS = 1_000_000;

export function clauseDiff(
  before: readonly ClauseBlock[],
  after: readonly ClauseBlock[],
  locale: string,
): ClauseChange[] {
  const out: ClauseChange[] = [];
  let i = 0;
  let j = 0;
  let removed: ClauseBlock[] = [];
  let added: ClauseBlock[] = [];
  const flush = () => {
    out.push(...pair(removed, added, locale));
    removed = [];
    added = [];
  };
  // Blocks are matched on the words a reader sees; a matched pair whose bold differs is then
  // a formatting change. (Matching on bold too would let a repeated paragraph, bolded once,
  // match its twin and come out as one added and one removed.)
  const identity = (b: ClauseBlock) => seen(b, () => visibleText(b.text, locale));
  const bold = (b: ClauseBlock) => b.strong.map((s) => visibleText(s, locale)).join('\u0000');
  const changes = diffArrays(before.map(identity), after.map(identity));
  for (const change of changes) {
    if (change.removed) {
      removed.push(...before.slice(i, i + change.count));
      i += change.count;
    } else if (change.added) {
      added.push(...after.slice(j, j + change.count));
      j += change.count;
    } else {
      flush();
      for (let k = 0; k < change.count; k++) {
        const [b, a] = [before[i + k]!, after[j + k]!];
        out.push(bold(b) === bold(a) ? { op: 'same', before: b, after: a } : edit(b, a, locale));
      }
      i += change.count;
      j += change.count;
    }
  }
  flush();
  return out;
}

function pair(removed: ClauseBlock[], added: ClauseBlock[], locale: string): ClauseChange[] {
  if (removed.length === 0) return added.map((after) => ({ op: 'added', after }));
  if (added.length === 0) return removed.map((before) => ({ op: 'removed', before }));
  const partner = alignPairs(removed, added, locale);
  // The removed block a pair comes up to, looking from each added block: old text is listed
  // before the new text that replaced it, as inside a clause (`[-old-]{+new+}`).
  const upTo: number[] = new Array(added.length + 1);
  upTo[added.length] = removed.length;
  for (let a = added.length - 1; a >= 0; a--) upTo[a] = partner.get(a) ?? upTo[a + 1]!;
  const out: ClauseChange[] = [];
  let r = 0;
  for (let a = 0; a < added.length; a++) {
    while (r < upTo[a]!) out.push({ op: 'removed', before: removed[r++]! });
    const match = partner.get(a);
    if (match === undefined) out.push({ op: 'added', after: added[a]! });
    else out.push(edit(removed[r++]!, added[a]!, locale));
  }
  while (r < removed.length) out.push({ op: 'removed', before: removed[r++]! });
  return out;
}

function edit(before: ClauseBlock, after: ClauseBlock, locale: string): ClauseChange {
  const { parts, emphasis } = textDiff(before, after, locale);
  const formattingOnly = parts.every((p) => p.op === 'same');
  // Same words, and no passage a reader would notice changed boldness (a full stop made bold).
  if (formattingOnly && emphasis.added.length === 0 && emphasis.removed.length === 0) {
    return { op: 'same', before, after };
  }
  return { op: 'changed', before, after, parts, emphasis, formattingOnly };
}

/**
 * Which added block continues which removed block: the non-crossing pairing with the most
 * words in common (a weighted longest common subsequence), among pairs similar enough.
 * Returns added index → removed index.
 */
function alignPairs(removed: ClauseBlock[], added: ClauseBlock[], locale: string): Map<number, number> {
  const removedWords = removed.map((b) => wordBag(clauseWords(b.text, locale)));
  const addedWords = added.map((b) => clauseWords(b.text, locale));
  const score = (r: number, a: number) => {
    const before = removed[r]!;
    const after = added[a]!;
    // A heading continues a heading, and a paragraph a paragraph.
    if (before.kind !== after.kind) return 0;
    const s = similarityTo(removedWords[r]!, addedWords[a]!);
    if (before.key === after.key) return s >= SAME_KEY_CLAUSE ? s + SAME_KEY_BONUS : 0;
    return s >= SAME_CLAUSE ? s : 0;
  };
  if (removed.length * added.length > MAX_PAIRING_CELLS) return pairSameKeys(removed, added, score);
  const rows = removed.length + 1;
  const cols = added.length + 1;
  const best = new Float64Array(rows * cols);
  const pairScore = new Float64Array(rows * cols);
  for (let r = 1; r < rows; r++) {
    for (let a = 1; a < cols; a++) {
      const s = score(r - 1, a - 1);
      pairScore[r * cols + a] = s;
      best[r * cols + a] = Math.max(
        best[(r - 1) * cols + a]!,
        best[r * cols + a - 1]!,
        s > 0 ? best[(r - 1) * cols + a - 1]! + s : 0,
      );
    }
  }
  const partner = new Map<number, number>();
  let r = removed.length;
  let a = added.length;
  while (r > 0 && a > 0) {
    const here = best[r * cols + a]!;
    const s = pairScore[r * cols + a]!;
    if (s > 0 && here === best[(r - 1) * cols + a - 1]! + s) {
      partner.set(a - 1, r - 1);
      r--;
      a--;
    } else if (here === best[(r - 1) * cols + a]!) {
      r--;
    } else {
      a--;
    }
  }
  return partner;
}

/**
 * For a stretch too long to compare every block with every other (a document rewritten from
 * scratch): blocks in the same order with the same key pair, if similar enough.
 */
function pairSameKeys(
  removed: ClauseBlock[],
  added: ClauseBlock[],
  score: (r: number, a: number) => number,
): Map<number, number> {
  const partner = new Map<number, number>();
  let r = 0;
  let a = 0;
  for (const change of diffArrays(
    removed.map((b) => b.key),
    added.map((b) => b.key),
  )) {
    if (change.removed) r += change.count;
    else if (change.added) a += change.count;
    else {
      for (let k = 0; k < change.count; k++) if (score(r + k, a + k) > 0) partner.set(a + k, r + k);
      r += change.count;
      a += change.count;
    }
  }
  return partner;
}

/** Each version's blocks are diffed twice (against the one before, and the one after): once is enough. */
const identities = new WeakMap<ClauseBlock, string>();

function seen(block: ClauseBlock, make: () => string): string {
  let identity = identities.get(block);
  if (identity === undefined) identities.set(block, (identity = make()));
  return identity;
}
