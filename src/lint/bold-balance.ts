/**
 * bold-balance: `**` that markdown-it could not pair, which the page would show as literal
 * asterisks. In PDF copies this happens when a bold run crossed list items:
 * `- (1) 向你提供产品或服务；**`.
 */
import type { BodyRule } from './body-context.ts';

export const boldBalance: BodyRule = (ctx) => {
  for (const block of ctx.parsed.tokens) {
    if (block.type !== 'inline' || !block.map) continue;
    let line = block.map[0];
    for (const child of block.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line++;
      if (child.type !== 'text' || !child.content.includes('**')) continue;
      const column = ctx.lines[line]?.indexOf('**') ?? 0;
      ctx.report(
        line,
        Math.max(0, column),
        'error',
        'unbalanced `**`: this bold run has no partner and would show as asterisks; add the missing `**` where the bold text starts or ends, or remove this one',
      );
    }
  }
};
