/**
 * bold-balance: `**` that markdown-it could not pair, which the page would show as literal
 * asterisks. In PDF copies this happens when a bold run crossed list items:
 * `- (1) 向你提供产品或服务；**`. Asterisks escaped on purpose (`\*\*`) are text the editor
 * asked for, not a broken bold run.
 */
import { inlineBlocks, type BodyRule } from './body-context.ts';

/** `**` not preceded by a backslash. */
const UNESCAPED_STARS = /(?<!\\)\*\*/g;
const ESCAPED_STARS = /\\\*\\\*/g;

export const boldBalance: BodyRule = (ctx) => {
  for (const { block, first, last } of inlineBlocks(ctx)) {
    const children = block.children ?? [];
    // Each `\*\*` in the source is one `**` in the text that is meant to be there.
    const literal = children.reduce((n, c) => n + (c.type === 'text' ? count(c.content, /\*\*/g) : 0), 0);
    const source = ctx.lines.slice(first, last + 1).join('\n');
    let unpaired = literal - count(source, ESCAPED_STARS);
    let line = first;
    for (const child of children) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line++;
      if (unpaired <= 0 || child.type !== 'text' || !child.content.includes('**')) continue;
      const at = unescapedStars(ctx.lines, Math.min(line, last), last) ?? {
        line: Math.min(line, last),
        column: 0,
      };
      unpaired--;
      ctx.report(
        at.line,
        at.column,
        'error',
        'unbalanced `**`: this bold run has no partner and would show as asterisks; add the missing `**` where the bold text starts or ends, or remove this one',
      );
    }
  }
};

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * The first unescaped `**` from line `from` to line `to`. Line counting by breaks falls short
 * where a CJK line break was dropped from the tokens, hence the search onwards.
 */
function unescapedStars(
  lines: readonly string[],
  from: number,
  to: number,
): { line: number; column: number } | undefined {
  for (let line = from; line <= to; line++) {
    UNESCAPED_STARS.lastIndex = 0;
    const match = UNESCAPED_STARS.exec(lines[line] ?? '');
    if (match) return { line, column: match.index };
  }
  return undefined;
}
