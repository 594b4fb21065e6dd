/**
 * unnumbered-heading: a heading with neither a clause number nor an explicit `{#id}` gets a
 * positional anchor (`#h-2`) that moves when a heading is added before it.
 */
import type { BodyRule } from './body-context.ts';

export const unnumberedHeading: BodyRule = (ctx) => {
  for (const heading of ctx.parsed.env.positionalHeadings) {
    ctx.report(
      heading.line,
      0,
      'warning',
      `heading “${heading.text}” has no clause number, so its link #${heading.anchor} depends on its position; number it or give it an id: \`## ${heading.text} {#a-stable-name}\``,
    );
  }
};
