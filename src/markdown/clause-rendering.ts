/**
 * How clauses look in HTML: every anchored heading, paragraph and list item gets a visible
 * "link to this clause" affordance, and an ordered list item shows its number exactly as the
 * editor wrote it (`1)` stays `1)`; `clauseOutline` has marked such lists `as-written` so CSS
 * drops the browser's own numbering). Wraps markdown-it's default rules rather than replacing them.
 */
import type { Env, MarkdownIt, RendererRule, Token } from 'markdown-it';
import { clauseMeta } from './clause-meta.ts';

interface RenderEnv extends Env {
  labels?: ClauseLabels;
}

const ENGLISH: ClauseLabels = { linkToClause: (n) => `Link to “${n}”` };

export interface ClauseLabels {
  /** Accessible name of the link affordance, e.g. `Link to clause 3.1.2`. */
  linkToClause(label: string): string;
  /** Title of a GitHub alert without one of its own: `note` → `Note`, `注意`. */
  alertTitle?(type: string): string;
  /** Accessible name of a footnote's superscript number: `Footnote 2`, `脚注 2`. */
  footnote?(n: string): string;
  /** Accessible name of a footnote's link back to where it is referred to. */
  backToReference?(n: string): string;
  /** Accessible name of the list of footnotes at the end of the body. */
  footnotes?: string;
}

/** Rendering reads its labels from `env.labels`, so one instance serves every locale. */
export function clauseRendering(md: MarkdownIt): void {
  const rules = md.renderer.rules;
  const fallback: RendererRule = (tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options);
  type Around = (
    render: () => string,
    token: Token,
    labels: ClauseLabels,
    tokens: Token[],
    idx: number,
  ) => string;
  const wrap = (name: string, around: Around) => {
    const original = rules[name] ?? fallback;
    rules[name] = (tokens, idx, options, env, self) =>
      around(
        () => original(tokens, idx, options, env, self),
        tokens[idx]!,
        (env as RenderEnv | undefined)?.labels ?? ENGLISH,
        tokens,
        idx,
      );
  };

  const link = (token: Token, labels: ClauseLabels) => {
    const { anchor, clauseLabel = '' } = clauseMeta(token);
    const href = md.utils.escapeHtml(`#${anchor}`);
    const label = md.utils.escapeHtml(labels.linkToClause(clauseLabel.trim()));
    return `<a class="clause-link" href="${href}" aria-label="${label}">#</a>`;
  };

  // Aliases are empty targets before the heading: the heading keeps its one id.
  const aliases = (token: Token) =>
    (clauseMeta(token).aliases ?? [])
      .map((id) => `<span id="${md.utils.escapeHtml(id)}" class="alias"></span>`)
      .join('');
  wrap('heading_open', (render, token) =>
    clauseMeta(token).anchor ? `<div class="clause-heading">${aliases(token)}${render()}` : render(),
  );
  // A heading is always heading_open, inline, heading_close.
  wrap('heading_close', (render, _token, labels, tokens, idx) => {
    const open = tokens[idx - 2]!;
    return clauseMeta(open).anchor ? `${render()}${link(open, labels)}</div>\n` : render();
  });
  wrap('paragraph_open', (render, token, labels) =>
    clauseMeta(token).anchor && !token.hidden ? render() + link(token, labels) : render(),
  );
  wrap('list_item_open', (render, token, labels) => {
    if (!clauseMeta(token).anchor) return render();
    const ordered = token.markup === '.' || token.markup === ')';
    const marker = ordered
      ? `<span class="marker">${md.utils.escapeHtml(token.info + token.markup)}</span> `
      : '';
    return render() + link(token, labels) + marker;
  });
}
