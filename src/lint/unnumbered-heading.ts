/**
 * unnumbered-heading: a heading with neither a clause number nor an explicit `{#id}` gets a
 * positional anchor (`#h-2`) that moves when a heading is added before it. The suggested fix
 * keeps the heading's level, so that it can be pasted over the line as it is.
 */
import type { BodyRule } from './body-context.ts';

export const unnumberedHeading: BodyRule = (ctx) => {
  for (const heading of ctx.parsed.env.positionalHeadings) {
    const suggestion = `${'#'.repeat(heading.depth)} ${heading.text} {#a-stable-name}`;
    ctx.report(
      heading.line,
      Math.max(0, ctx.lines[heading.line]?.search(/\S/) ?? 0),
      'warning',
      `heading “${heading.text}” has no clause number, so its link #${heading.anchor} depends on its position; number it or give it an id: \`${suggestion}\``,
    );
  }
};
