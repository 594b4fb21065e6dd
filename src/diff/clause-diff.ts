/**
 * The changes between two versions of a document, aligned clause by clause: unchanged blocks
 * are matched first (a longest-common-subsequence diff over whole blocks), then within each
 * changed stretch a removed and an added block are paired when they are the same clause (same
 * anchor) or mostly the same words, and the pair gets a word-level diff. What remains is an
 * added or a removed clause.
 */
import { diffArrays } from 'diff';
import type { ClauseBlock } from '../markdown/clause-blocks.ts';
import { similarity, wordDiff, words, type WordPart } from './word-diff.ts';

export type ClauseChange =
  | { op: 'same'; before: ClauseBlock; after: ClauseBlock }
  | { op: 'changed'; before: ClauseBlock; after: ClauseBlock; parts: WordPart[]; emphasis: EmphasisChange }
  | { op: 'added'; after: ClauseBlock }
  | { op: 'removed'; before: ClauseBlock };

/** Bold marks what a reader must notice, so making a passage bold (or not) is a change too. */
export interface EmphasisChange {
  /** Passages bold now that were not before. */
  added: string[];
  removed: string[];
}

/** Two blocks with at least this share of words in common count as one clause edited. */
const SAME_CLAUSE = 0.5;
/** Keeping its clause number makes a pair slightly more likely; it never decides alone, since numbers shift. */
const SAME_KEY_BONUS = 0.1;

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
  const identity = (b: ClauseBlock) =>
    b.strong.length ? `${b.text}\u0000${b.strong.join('\u0001')}` : b.text;
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
      for (let k = 0; k < change.count; k++)
        out.push({ op: 'same', before: before[i + k]!, after: after[j + k]! });
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
  const out: ClauseChange[] = [];
  let r = 0;
  for (let a = 0; a < added.length; a++) {
    const match = partner.get(a);
    if (match === undefined) {
      out.push({ op: 'added', after: added[a]! });
      continue;
    }
    while (r < match) out.push({ op: 'removed', before: removed[r++]! });
    const before = removed[r++]!;
    const after = added[a]!;
    out.push({
      op: 'changed',
      before,
      after,
      parts: wordDiff(before.text, after.text, locale),
      emphasis: {
        added: after.strong.filter((s) => !before.strong.includes(s)),
        removed: before.strong.filter((s) => !after.strong.includes(s)),
      },
    });
  }
  while (r < removed.length) out.push({ op: 'removed', before: removed[r++]! });
  return out;
}

/**
 * Which added block continues which removed block: the non-crossing pairing with the most
 * words in common (a weighted longest common subsequence), among pairs similar enough.
 * Returns added index → removed index.
 */
function alignPairs(removed: ClauseBlock[], added: ClauseBlock[], locale: string): Map<number, number> {
  const removedWords = removed.map((b) => words(b.text, locale));
  const addedWords = added.map((b) => words(b.text, locale));
  const score = (r: number, a: number) => {
    const s = similarity(removedWords[r]!, addedWords[a]!);
    if (s < SAME_CLAUSE) return 0;
    return s + (removed[r]!.key === added[a]!.key ? SAME_KEY_BONUS : 0);
  };
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
