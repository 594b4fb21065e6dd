/**
 * numbering: clause numbers that skip or go back among siblings, e.g. `(1)` then `(3)`. A
 * warning, not an error: published legal text is kept as written, but the editor should
 * confirm that nothing was lost in the copy. (A number that repeats is a duplicate anchor,
 * an error reported by `duplicate-anchor`.)
 */
import type { ClauseOccurrence } from '../markdown/legal-env.ts';
import { columnOf, type BodyRule } from './body-context.ts';

export const clauseNumbering: BodyRule = (ctx) => {
  const last = new Map<string, ClauseOccurrence>();
  for (const clause of ctx.parsed.env.outline) {
    const marker = clause.marker;
    if (!marker) continue;
    const group =
      marker.style === 'dotted'
        ? `dotted:${marker.path.slice(0, -1).join('.')}`
        : `${clause.parent ?? ''}:${marker.style}`;
    const previous = last.get(group);
    last.set(group, clause);
    const column = columnOf(ctx, clause.line, marker.text);
    if (!previous) {
      if (marker.number !== 1 && marker.style !== 'dotted') {
        ctx.report(
          clause.line,
          column,
          'warning',
          `numbering starts at ${marker.text} instead of 1; check that no clause was lost`,
        );
      }
      continue;
    }
    const was = previous.marker!;
    if (marker.number > was.number + 1) {
      ctx.report(
        clause.line,
        column,
        'warning',
        `numbering jumps from ${was.text} to ${marker.text}; check that no clause was lost, or renumber`,
      );
    } else if (marker.number < was.number) {
      ctx.report(
        clause.line,
        column,
        'warning',
        `numbering goes back from ${was.text} to ${marker.text}; check the order`,
      );
    }
  }
};
