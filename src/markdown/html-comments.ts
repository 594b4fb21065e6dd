/**
 * HTML comments, `<!-- … -->`: never shown, never diffed, but kept for lint control
 * (`<!-- assent-lint-disable-next-line numbering -->`, as markdownlint does).
 *
 * Raw HTML is off, so markdown-it would print a comment as visible text. This plugin reads
 * comments the way CommonMark reads them when HTML is on — a block that starts with `<!--`
 * runs to the line that holds `-->` (it may interrupt a paragraph), and inside a paragraph a
 * comment runs from `<!--` to the next `-->` — and renders neither. Each lands in
 * `env.comments` with its body lines.
 */
import type { MarkdownIt, StateBlock, StateCore, StateInline } from 'markdown-it';
import type { LegalEnv } from './legal-env.ts';

const OPEN = '<!--';
const CLOSE = '-->';

export function htmlComments(md: MarkdownIt): void {
  md.block.ruler.before('html_block', 'assent_comment_block', commentBlock, {
    alt: ['paragraph', 'reference', 'blockquote', 'list'],
  });
  md.inline.ruler.before('html_inline', 'assent_comment_inline', commentInline);
  md.core.ruler.push('assent_comments', collectComments);
  md.renderer.rules.assent_comment = () => '';
}

function commentBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  // More than three spaces of indent is an indented code block, not a comment.
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  if (!state.src.startsWith(OPEN, start)) return false;
  let line = startLine;
  let close = -1;
  for (; line < endLine; line++) {
    const from = line === startLine ? start + OPEN.length : state.bMarks[line]! + state.tShift[line]!;
    // A blank line or the end of the enclosing block (a list item, a quote) ends the search.
    if (line > startLine && state.sCount[line]! < state.blkIndent) return false;
    close = state.src.indexOf(CLOSE, from);
    if (close >= 0 && close < state.eMarks[line]!) break;
    close = -1;
  }
  if (close < 0) return false;
  // Text after `-->` on the same line belongs to a paragraph: leave it to the inline rule.
  if (state.src.slice(close + CLOSE.length, state.eMarks[line]).trim() !== '') return false;
  if (silent) return true;
  const token = state.push('assent_comment', '', 0);
  token.content = state.src.slice(start + OPEN.length, close).trim();
  token.map = [startLine, line + 1];
  token.hidden = true;
  state.line = line + 1;
  return true;
}

function commentInline(state: StateInline, silent: boolean): boolean {
  if (!state.src.startsWith(OPEN, state.pos)) return false;
  const close = state.src.indexOf(CLOSE, state.pos + OPEN.length);
  if (close < 0) return false;
  if (!silent) {
    const token = state.push('assent_comment', '', 0);
    token.content = state.src.slice(state.pos + OPEN.length, close).trim();
    // Lines the comment spans, for `collectComments` to place it.
    token.meta = { lines: state.src.slice(state.pos, close).split('\n').length - 1 };
  }
  state.pos = close + CLOSE.length;
  return true;
}

function collectComments(state: StateCore): void {
  const env = state.env as LegalEnv;
  for (const token of state.tokens) {
    if (token.type === 'assent_comment' && token.map) {
      env.comments.push({ line: token.map[0], endLine: token.map[1] - 1, text: token.content });
    }
    if (token.type !== 'inline' || !token.map) continue;
    let line = token.map[0];
    for (const child of token.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line++;
      if (child.type !== 'assent_comment') continue;
      const spans = (child.meta as { lines: number }).lines;
      env.comments.push({ line, endLine: line + spans, text: child.content });
      line += spans;
    }
  }
  env.comments.sort((a, b) => a.line - b.line);
}
