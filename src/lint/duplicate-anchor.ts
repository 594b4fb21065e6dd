/**
 * duplicate-anchor: two clauses that would get the same deep link. The second one is given a
 * `_2` id so the page stays valid, but a link shared as `#c3.1` must mean one clause only.
 */
import { columnOf, type BodyRule } from './body-context.ts';

export const duplicateAnchor: BodyRule = (ctx) => {
  const first = new Map<string, number>();
  for (const clause of ctx.parsed.env.outline) {
    const seen = first.get(clause.baseAnchor);
    if (seen === undefined) {
      first.set(clause.baseAnchor, clause.line);
      continue;
    }
    ctx.report(
      clause.line,
      columnOf(ctx, clause.line, clause.marker?.text ?? clause.text),
      'error',
      `clause anchor #${clause.baseAnchor} is already used on line ${ctx.fileLine(seen)}; clause numbers must be unique within their parent`,
    );
  }
};
