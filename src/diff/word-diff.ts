/**
 * Word-level diff inside one clause. Words come from `Intl.Segmenter`, so Chinese is compared
 * word by word (个人信息 / 删除), not one character at a time, and English by words. What a
 * reader cannot see (spaces, line wrapping; see visible-text.ts) is never a difference, and
 * passages that became bold or stopped being bold are reported apart from the wording.
 *
 *   wordDiff('尽快删除您的个人信息', '在 15 个工作日内删除您的个人信息', 'zh-CN')
 *   → [{ op: 'removed', text: '尽快' }, { op: 'added', text: '在 15 个工作日内' }, { op: 'same', text: '删除您的个人信息' }]
 */
import { diffArrays } from 'diff';
import { boldMask } from './bold-mask.ts';
import { visibleText, visibleTokens, type VisibleToken } from './visible-text.ts';

export interface WordPart {
  op: 'same' | 'added' | 'removed';
  text: string;
  /** In bold in its version (the new one for `same`): bold marks what a reader must notice. */
  strong?: true;
}

/** Bold marks what a reader must notice, so making a passage bold (or not) is a change too. */
export interface EmphasisChange {
  /** Passages, unchanged in wording, that are bold now and were not before. */
  added: string[];
  /** Passages, unchanged in wording, that were bold and are not any more. */
  removed: string[];
}

/** A block's text and its bold passages, as `ClauseBlock` has them. */
export interface StyledText {
  text: string;
  strong: readonly string[];
}

export interface TextDiff {
  parts: WordPart[];
  emphasis: EmphasisChange;
}

/**
 * Beyond this many word edits a clause was rewritten, not edited: it is shown as one removal
 * and one addition instead of spending quadratic time on an unreadable interleaving.
 */
const MAX_EDITS = 2000;

export function wordDiff(before: string, after: string, locale: string): WordPart[] {
  return textDiff({ text: before, strong: [] }, { text: after, strong: [] }, locale).parts;
}

export function textDiff(before: StyledText, after: StyledText, locale: string): TextDiff {
  const a = side(before, locale);
  const b = side(after, locale);
  const chunks =
    visibleText(before.text, locale) === visibleText(after.text, locale)
      ? [{ same: true, a0: 0, a1: a.tokens.length, b0: 0, b1: b.tokens.length }]
      : tidy(align(a.tokens, b.tokens), a, b);
  return { parts: render(chunks, a, b), emphasis: emphasisChange(chunks, a, b) };
}

interface Side {
  text: string;
  tokens: VisibleToken[];
  bold: Uint8Array;
}

/** Token ranges `[a0, a1)` of the old text and `[b0, b1)` of the new; `same` when they match. */
interface Chunk {
  same: boolean;
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

function side({ text, strong }: StyledText, locale: string): Side {
  return { text, tokens: visibleTokens(text, locale), bold: boldMask(text, strong) };
}

function align(a: VisibleToken[], b: VisibleToken[]): Chunk[] {
  const changes = diffArrays(
    a.map((t) => t.key),
    b.map((t) => t.key),
    { maxEditLength: MAX_EDITS },
  );
  if (!changes) return [{ same: false, a0: 0, a1: a.length, b0: 0, b1: b.length }];
  const chunks: Chunk[] = [];
  let i = 0;
  let j = 0;
  for (const change of changes) {
    const a1 = change.added ? i : i + change.count;
    const b1 = change.removed ? j : j + change.count;
    const same = !change.added && !change.removed;
    const last = chunks[chunks.length - 1];
    // A removal and an addition next to each other are one replacement.
    if (last && !last.same && !same) {
      last.a1 = a1;
      last.b1 = b1;
    } else {
      chunks.push({ same, a0: i, a1, b0: j, b1 });
    }
    i = a1;
    j = b1;
  }
  return chunks;
}

/** Makes the chunks read well: see each step. */
function tidy(chunks: Chunk[], a: Side, b: Side): Chunk[] {
  const keys = (tokens: VisibleToken[], from: number, to: number) =>
    tokens
      .slice(from, to)
      .map((t) => t.key)
      .join('');
  // A replacement that reads the same (the words split differently around a removed space) is none.
  for (const c of chunks) {
    if (!c.same && keys(a.tokens, c.a0, c.a1) === keys(b.tokens, c.b0, c.b1)) c.same = true;
  }
  let out = mergeRuns(chunks);
  // A change that shares only a space or a comma with the next one reads better as one
  // replacement: `[-a-] [+b+], [-c-] [+d+]` becomes `[-a, c-] [+b, d+]`.
  for (let k = 1; k + 1 < out.length; k++) {
    const [prev, here, next] = [out[k - 1]!, out[k]!, out[k + 1]!];
    if (here.same && !prev.same && !next.same && isSeparator(display(b, here.b0, here.b1))) {
      here.same = false;
      out = mergeRuns(out);
      k = 0;
    }
  }
  // A change of spaces only (`agency.GitHub` → `agency. GitHub`) would show an empty insertion:
  // take the next word into it, so that the reader sees where the space went.
  for (let k = 0; k < out.length; k++) {
    const here = out[k]!;
    if (here.same || display(a, here.a0, here.a1).trim() || display(b, here.b0, here.b1).trim()) continue;
    const next = out[k + 1];
    const prev = out[k - 1];
    if (next && wordCount(next) > 1) {
      next.a0 = ++here.a1;
      next.b0 = ++here.b1;
    } else if (prev && wordCount(prev) > 1) {
      prev.a1 = --here.a0;
      prev.b1 = --here.b0;
    } else {
      // A lone word on either side (or none): the whole neighbourhood is the change.
      for (const c of [prev, next]) if (c) c.same = false;
    }
  }
  return mergeRuns(out);
}

/** Tokens in an unchanged chunk that can give one away; 0 when its sides differ in length. */
function wordCount(c: Chunk): number {
  return c.a1 - c.a0 === c.b1 - c.b0 ? c.a1 - c.a0 : 0;
}

/** Joins neighbouring chunks of the same kind. */
function mergeRuns(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  for (const c of chunks) {
    const last = out[out.length - 1];
    if (last && last.same === c.same) {
      last.a1 = c.a1;
      last.b1 = c.b1;
    } else {
      out.push({ ...c });
    }
  }
  return out;
}

function isSeparator(text: string): boolean {
  return /^[\s\p{P}]{1,2}$/u.test(text);
}

/** The text of tokens `[from, to)`, with the spaces that belong to them. */
function display(s: Side, from: number, to: number): string {
  return from < to ? s.text.slice(s.tokens[from]!.start, s.tokens[to - 1]!.end) : '';
}

/**
 * A whole added or removed block as parts, bold where it is bold.
 *
 *   styledParts({ text: 'We **never** sell', strong: ['never'] }, 'added')
 *   → [{ op: 'added', text: 'We ' }, { op: 'added', text: 'never', strong: true }, { op: 'added', text: ' sell' }]
 */
export function styledParts({ text, strong }: StyledText, op: WordPart['op']): WordPart[] {
  const parts: WordPart[] = [];
  appendStyled(parts, op, text, boldMask(text, strong), 0, text.length);
  return parts;
}

/** Appends `text[start, end)` to `parts`, split where bold starts or ends. */
function appendStyled(
  parts: WordPart[],
  op: WordPart['op'],
  text: string,
  bold: Uint8Array,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const strong = bold[i] === 1;
    const last = parts[parts.length - 1];
    if (last && last.op === op && Boolean(last.strong) === strong) last.text += text[i];
    else parts.push(strong ? { op, text: text[i]!, strong } : { op, text: text[i]! });
  }
}

function render(chunks: Chunk[], a: Side, b: Side): WordPart[] {
  const parts: WordPart[] = [];
  const range = (s: Side, from: number, to: number): [number, number] =>
    from < to ? [s.tokens[from]!.start, s.tokens[to - 1]!.end] : [0, 0];
  const emit = (op: WordPart['op'], s: Side, [start, end]: [number, number]) =>
    appendStyled(parts, op, s.text, s.bold, start, end);
  for (const c of chunks) {
    const old = range(a, c.a0, c.a1);
    const now = range(b, c.b0, c.b1);
    if (c.same) {
      emit('same', b, now);
      continue;
    }
    // `law[-, for scanning, -]{+ +}or` reads as `law[-, for scanning,-] or`: when one side is
    // only a space, it is the space the other side ends (or starts) with, and unchanged.
    const blank = (s: Side, [start, end]: [number, number]) =>
      start < end && !s.text.slice(start, end).trim();
    const [removed, added] = [trimmed(a, old), trimmed(b, now)];
    if (blank(b, now) && removed.trailing) {
      emit('removed', a, removed.range);
      emit('same', b, now);
    } else if (blank(b, now) && removed.leading) {
      emit('same', b, now);
      emit('removed', a, removed.range);
    } else if (blank(a, old) && (added.trailing || added.leading)) {
      emit('same', b, [now[0], added.range[0]]);
      emit('added', b, added.range);
      emit('same', b, [added.range[1], now[1]]);
    } else {
      emit('removed', a, old);
      emit('added', b, now);
    }
  }
  return parts;
}

/** `[start, end)` without the spaces at either end, and whether there were any. */
function trimmed(s: Side, [start, end]: [number, number]) {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(s.text[from]!)) from++;
  while (to > from && /\s/.test(s.text[to - 1]!)) to--;
  return { range: [from, to] as [number, number], leading: from > start, trailing: to < end };
}

/**
 * Passages whose words are unchanged but whose boldness changed. Compares the characters a
 * reader sees, one by one, in the unchanged chunks; a passage is a run of characters that all
 * became bold (or all stopped being bold), and is reported only if it has a letter or a digit
 * (bolding a full stop is not something to notice).
 */
function emphasisChange(chunks: Chunk[], a: Side, b: Side): EmphasisChange {
  const emphasis: EmphasisChange = { added: [], removed: [] };
  if (!a.bold.includes(1) && !b.bold.includes(1)) return emphasis;
  let run: { direction: 1 | -1; start: number; end: number } | undefined;
  const close = () => {
    if (!run) return;
    const text = (run.direction === 1 ? b : a).text.slice(run.start, run.end).replace(/\s+/g, ' ').trim();
    if (/[\p{L}\p{N}]/u.test(text)) (run.direction === 1 ? emphasis.added : emphasis.removed).push(text);
    run = undefined;
  };
  for (const c of chunks) {
    if (!c.same) {
      close();
      continue;
    }
    const before = visibleChars(a, c.a0, c.a1);
    const after = visibleChars(b, c.b0, c.b1);
    // Same words, so the same visible characters; if Unicode normalisation made them differ,
    // there is no character-by-character answer and the chunk is left out.
    if (before.length !== after.length) {
      close();
      continue;
    }
    for (let k = 0; k < after.length; k++) {
      const was = a.bold[before[k]!] === 1;
      const is = b.bold[after[k]!] === 1;
      const direction = was === is ? 0 : is ? 1 : -1;
      if (direction === 0 || direction !== run?.direction) close();
      if (direction === 0) continue;
      const at = direction === 1 ? after[k]! : before[k]!;
      if (run) run.end = at + 1;
      else run = { direction, start: at, end: at + 1 };
    }
  }
  close();
  return emphasis;
}

/** Offsets of the characters a reader sees (no spaces, no invisible ones) in tokens `[from, to)`. */
function visibleChars(s: Side, from: number, to: number): number[] {
  const offsets: number[] = [];
  if (from >= to) return offsets;
  for (let i = s.tokens[from]!.start; i < s.tokens[to - 1]!.end; i++) {
    if (!/[\s\u200b\u2060\ufeff\u00ad]/.test(s.text[i]!)) offsets.push(i);
  }
  return offsets;
}
