/**
 * broken-link: an in-page link, `[A. Definitions](#a-definitions)`, that points at no id in the
 * page. Readers who follow it land nowhere, silently. A link may point at a clause anchor
 * (`#c3.1`), a heading's text slug (`#a-definitions`), an explicit `{#id}` or `#preamble`.
 */
import { columnOf, type BodyRule } from './body-context.ts';

export const brokenLink: BodyRule = (ctx) => {
  const targets = new Set(ctx.parsed.env.targets);
  for (const block of ctx.parsed.tokens) {
    if (block.type !== 'inline' || !block.map) continue;
    let line = block.map[0];
    for (const child of block.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line++;
      if (child.type !== 'link_open') continue;
      const href = String(child.attrGet('href') ?? '');
      if (!href.startsWith('#') || href === '#') continue;
      const id = decodeFragment(href.slice(1));
      if (targets.has(id)) continue;
      const near = nearest(id, targets);
      ctx.report(
        line,
        columnOf(ctx, line, `(${href}`) + 1,
        'error',
        `link to #${id} lands nowhere: no clause or heading has that id${near ? `; did you mean #${near}?` : ''} (clause anchors come from clause numbers, e.g. #s2-c1; headings also answer to their text slug)`,
      );
    }
  }
};

function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** A target that shares the link's first word, or starts the same way, as a suggestion. */
function nearest(id: string, targets: ReadonlySet<string>): string | undefined {
  const lower = id.toLowerCase();
  if (targets.has(lower)) return lower;
  const head = lower.split('-')[0]!;
  let best: string | undefined;
  for (const target of targets) {
    if (target.startsWith(lower) || lower.startsWith(target + '-')) return target;
    if (!best && head.length > 2 && target.split('-').includes(head)) best = target;
  }
  return best;
}
