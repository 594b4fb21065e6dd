/**
 * A clause number at the start of a continuation line starts a clause of its own:
 *
 *   1.1 **身份识别**：为了…。
 *   1.2 **个人资料冷却期**：…
 *
 * is one paragraph to CommonMark (a single line break joins lines), but two clauses to the
 * editor who pasted it. The paragraph is split before such a line, so each clause gets its own
 * block and anchor.
 *
 * Splitting is safe only where the line really starts a clause, not where a wrapped sentence
 * happens to continue with a number (`…as described in section\n2.1 of this policy`). So a line
 * is split off only when its number continues the numbering of the paragraph (`1.1` → `1.2`,
 * `(1)` → `(2)`), or the line before it ends a sentence (`。；：.;:` …) and the number is not a
 * bare letter, and never inside bold, italics or a link that runs across the break.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import { parseClauseMarker, type ClauseMarker } from './clause-markers.ts';

const ENDS_SENTENCE = /[。；;：:！!？?.…」』”"）)]\s*$/;
/** Markers too easily read into ordinary text (`a.`, `I.`) split only when they continue a sequence. */
const WEAK_STYLES = new Set<ClauseMarker['style']>(['letter', 'upper', 'roman', 'upper-roman']);

export function clauseLines(md: MarkdownIt): void {
  // Before the CJK rule joins lines: `…。\n（2）` must still have its break to split at.
  md.core.ruler.after('inline', 'assent_clause_lines', (state: StateCore) => {
    const out: Token[] = [];
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const open = tokens[i]!;
      const inline = tokens[i + 1];
      if (open.type !== 'paragraph_open' || inline?.type !== 'inline' || !inline.map) {
        out.push(open);
        continue;
      }
      const close = tokens[i + 2]!;
      const pieces = splitAtClauseLines(inline);
      if (pieces.length === 1) {
        out.push(open, inline, close);
      } else {
        for (const piece of pieces) {
          const p = new state.Token('paragraph_open', 'p', 1);
          p.map = [piece.line, piece.endLine];
          p.level = open.level;
          p.block = true;
          const text = new state.Token('inline', '', 0);
          text.map = [piece.line, piece.endLine];
          text.level = inline.level;
          text.children = piece.children;
          text.content = piece.children.map((c) => c.content).join('');
          text.block = true;
          const q = new state.Token('paragraph_close', 'p', -1);
          q.level = close.level;
          q.block = true;
          out.push(p, text, q);
        }
      }
      i += 2;
    }
    state.tokens = out;
  });
}

interface Piece {
  children: Token[];
  /** 0-based body lines, end exclusive. */
  line: number;
  endLine: number;
}

function splitAtClauseLines(inline: Token): Piece[] {
  const children = inline.children ?? [];
  const [firstLine, endLine] = inline.map!;
  const pieces: Piece[] = [];
  let start = 0;
  let startLine = firstLine;
  let line = firstLine;
  let depth = 0;
  let last = parseClauseMarker(lineText(children, 0));
  let previousLine = '';
  let currentLine = '';
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    depth += child.nesting;
    if (child.type === 'text' || child.type === 'code_inline') currentLine += child.content;
    if (child.type !== 'softbreak' && child.type !== 'hardbreak') continue;
    line++;
    previousLine = currentLine;
    currentLine = '';
    if (depth !== 0) continue;
    const marker = parseClauseMarker(lineText(children, i + 1));
    if (!marker) continue;
    const continues = last !== undefined && follows(last, marker);
    const afterSentence = ENDS_SENTENCE.test(previousLine) && !WEAK_STYLES.has(marker.style);
    if (!continues && !afterSentence) continue;
    pieces.push({ children: children.slice(start, i), line: startLine, endLine: line });
    start = i + 1;
    startLine = line;
    last = marker;
  }
  if (pieces.length === 0) return [{ children, line: firstLine, endLine }];
  pieces.push({ children: children.slice(start), line: startLine, endLine });
  return pieces;
}

/** The plain text of the line that starts at `children[from]`. */
function lineText(children: readonly Token[], from: number): string {
  let text = '';
  for (let i = from; i < children.length; i++) {
    const child = children[i]!;
    if (child.type === 'softbreak' || child.type === 'hardbreak') break;
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
  }
  return text;
}

/** Whether `next` is the clause right after `previous` in the same numbering. */
function follows(previous: ClauseMarker, next: ClauseMarker): boolean {
  if (previous.style !== next.style) return false;
  if (next.style !== 'dotted') return next.number === previous.number + 1;
  const a = previous.path;
  const b = next.path;
  // 1.1 → 1.2, or 1.2.3 → 1.3 (back up a level), or 1.2 → 1.2.1 (down one).
  if (b.length === a.length + 1) return b.slice(0, -1).join('.') === a.join('.') && b.at(-1) === 1;
  if (b.length > a.length) return false;
  return b.slice(0, -1).join('.') === a.slice(0, b.length - 1).join('.') && b.at(-1) === a[b.length - 1]! + 1;
}
