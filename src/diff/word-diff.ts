/**
 * Word-level diff inside one clause. Words come from `Intl.Segmenter`, so Chinese is compared
 * word by word (个人信息 / 删除), not one character at a time, and English by words.
 *
 *   wordDiff('尽快删除您的个人信息', '在 15 个工作日内删除您的个人信息', 'zh-CN')
 *   → [{ op: 'removed', text: '尽快' }, { op: 'added', text: '在 15 个工作日内' }, { op: 'same', text: '删除您的个人信息' }]
 */
import { diffArrays } from 'diff';

export interface WordPart {
  op: 'same' | 'added' | 'removed';
  text: string;
}

const segmenters = new Map<string, Intl.Segmenter>();

function segmenter(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) {
    s = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, s);
  }
  return s;
}

export function words(text: string, locale: string): string[] {
  return Array.from(segmenter(locale).segment(text), (s) => s.segment);
}

export function wordDiff(before: string, after: string, locale: string): WordPart[] {
  const parts: WordPart[] = [];
  for (const change of diffArrays(words(before, locale), words(after, locale))) {
    const op = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const text = change.value.join('');
    const last = parts[parts.length - 1];
    if (last?.op === op) last.text += text;
    else parts.push({ op, text });
  }
  return absorbSmallCommonRuns(parts);
}

/**
 * A change that shares only a space or a comma with its neighbour reads better as one
 * replacement: `[-a-] [+b+], [-c-] [+d+]` becomes `[-a, c-] [+b, d+]`.
 */
function absorbSmallCommonRuns(parts: WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  let i = 0;
  while (i < parts.length) {
    const part = parts[i]!;
    if (part.op !== 'same') {
      let removed = '';
      let added = '';
      let j = i;
      while (j < parts.length) {
        const p = parts[j]!;
        if (p.op === 'removed') removed += p.text;
        else if (p.op === 'added') added += p.text;
        else if (isSeparator(p.text) && j + 1 < parts.length && parts[j + 1]!.op !== 'same') {
          removed += p.text;
          added += p.text;
        } else break;
        j++;
      }
      if (removed) out.push({ op: 'removed', text: removed });
      if (added) out.push({ op: 'added', text: added });
      i = j;
    } else {
      out.push(part);
      i++;
    }
  }
  return out;
}

function isSeparator(text: string): boolean {
  return /^[\s\p{P}]{1,2}$/u.test(text);
}

/** Share of words two texts have in common (Dice coefficient), 0…1. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const w of a) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of b) {
    const n = counts.get(w);
    if (n) {
      common++;
      counts.set(w, n - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}
