/**
 * How much two clauses say the same thing, for deciding whether a new clause is an old one
 * edited. Only words count (`isWordLike`): spaces and punctuation are half the segments of any
 * English sentence, and counting them made two unrelated sentences look 50% alike. The clause
 * number is left out too, since numbers shift when a clause is inserted before.
 *
 *   similarity(clauseWords('3. We keep your data for one year.', 'en'),
 *              clauseWords('4. We keep your data for two years.', 'en'))  → 0.71
 */
import { parseClauseMarker } from '../markdown/clause-markers.ts';
import { visibleTokens } from './visible-text.ts';

/** The words of a clause, lower-cased, without its leading clause number. */
export function clauseWords(text: string, locale: string): string[] {
  const marker = parseClauseMarker(text.trimStart());
  const body = marker ? text.trimStart().slice(marker.text.length) : text;
  return visibleTokens(body, locale)
    .filter((t) => t.wordLike)
    .map((t) => t.key.toLowerCase());
}

/** Share of words two texts have in common (Dice coefficient over word multisets), 0…1. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  return similarityTo(wordBag(a), b);
}

/** Words counted, to compare one text with many: `similarityTo(wordBag(a), b)`. */
export interface WordBag {
  counts: ReadonlyMap<string, number>;
  size: number;
}

export function wordBag(words: readonly string[]): WordBag {
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return { counts, size: words.length };
}

export function similarityTo(a: WordBag, b: readonly string[]): number {
  if (a.size === 0 && b.length === 0) return 1;
  const used = new Map<string, number>();
  let common = 0;
  for (const w of b) {
    const n = used.get(w) ?? 0;
    if (n < (a.counts.get(w) ?? 0)) {
      common++;
      used.set(w, n + 1);
    }
  }
  return (2 * common) / (a.size + b.length);
}
