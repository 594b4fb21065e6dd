/**
 * raw-html: an HTML tag in the text, which Assent shows as text and never runs (raw HTML is off
 * for safety). A reader would see `<u>条款</u>` or `<table>` literally. Comments and `<br>` are
 * understood and not reported. One finding per block (a pasted HTML table is one problem).
 */
import { columnOf, type BodyRule } from './body-context.ts';

const TAGS = /<\/?[A-Za-z][\w-]*(?:\s[^<>]*)?\/?>/g;

export const rawHtml: BodyRule = (ctx) => {
  for (const block of ctx.parsed.tokens) {
    if (block.type !== 'inline' || !block.map) continue;
    let line = block.map[0];
    let first: { line: number; tag: string } | undefined;
    let count = 0;
    for (const child of block.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line++;
      if (child.type !== 'text') continue;
      const tags = child.content.match(TAGS) ?? [];
      if (tags.length && !first) first = { line, tag: tags[0]! };
      count += tags.length;
    }
    if (!first) continue;
    ctx.report(
      first.line,
      columnOf(ctx, first.line, first.tag),
      'warning',
      `HTML ${first.tag}${count > 1 ? ` (and ${count - 1} more tag${count > 2 ? 's' : ''} in this block)` : ''} shows as text (raw HTML is off, for safety): write it in Markdown (**bold**, a list, a table) or remove it`,
    );
  }
};
