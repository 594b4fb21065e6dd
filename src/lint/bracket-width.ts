/**
 * bracket-width: one list numbered with both full-width `（1）` and half-width `(3)` brackets,
 * a common leftover of copying from several sources.
 */
import type { ClauseOccurrence } from '../markdown/legal-env.ts';
import { columnOf, type BodyRule } from './body-context.ts';

export const bracketWidth: BodyRule = (ctx) => {
  const firstOfList = new Map<string, ClauseOccurrence>();
  for (const clause of ctx.parsed.env.outline) {
    const marker = clause.marker;
    if (!marker?.brackets) continue;
    const column = columnOf(ctx, clause.line, marker.text);
    if (marker.brackets === 'mixed') {
      ctx.report(
        clause.line,
        column,
        'warning',
        `${marker.text} mixes a full-width and a half-width bracket`,
      );
      continue;
    }
    const key = `${clause.parent ?? ''}:${marker.style}`;
    const first = firstOfList.get(key);
    if (!first) {
      firstOfList.set(key, clause);
    } else if (first.marker!.brackets !== marker.brackets) {
      const width = (b: string | undefined) => (b === 'full' ? 'full-width' : 'half-width');
      ctx.report(
        clause.line,
        column,
        'warning',
        `${marker.text} uses ${width(marker.brackets)} brackets but this list began with ${width(first.marker!.brackets)} ${first.marker!.text} (line ${ctx.fileLine(first.line)}); use one width throughout`,
      );
    }
  }
};
