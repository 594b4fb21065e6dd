/**
 * Headings answer to their GitHub-style text slug (`## A. Definitions` → `#a-definitions`), the
 * id an editor's preview on GitHub or in an IDE gives them, so that in-page links written
 * against that preview (`[A. Definitions](#a-definitions)`) and links already shared keep
 * working. A numbered heading keeps its clause anchor (`#a`) and gets the slug as an alias; an
 * unnumbered one takes the slug as its anchor (see clause-outline.ts).
 *
 * A slug that would clash with a clause anchor or with an id of the page around the document is
 * left out. Every id a link in the body may target is listed in `env.targets` for lint.
 */
import GithubSlugger from 'github-slugger';
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import { clauseMeta, noteClauseMeta } from './clause-meta.ts';
import { inlineText } from './inline-text.ts';
import type { LegalEnv } from './legal-env.ts';

/** Ids the page layout uses around the document body (src/site). */
const PAGE_IDS = new Set(['main', 'toc-heading', 'key-clauses-heading', 'preamble']);
/** Slugs that read like a clause anchor (`s2`, `c3.1`, `a`, `iv`), kept for clauses. */
const CLAUSE_LIKE = /^(?:(?:s|ch|c|art-|h-)?\d|[a-z]$|[ivxl]+$)/;

/** Notes each heading's text slug on its token, in document order as GitHub numbers repeats. */
export function noteTextSlugs(tokens: readonly Token[]): void {
  const slugger = new GithubSlugger();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'heading_open') continue;
    noteClauseMeta(tokens[i]!, { textSlug: slugger.slug(inlineText(tokens[i + 1]!)) });
  }
}

/** Longer than this, a slug is a sentence (a paragraph written as a heading), not a name. */
const SLUG_MAX_LENGTH = 100;

/** Whether a heading's text slug may serve as its anchor. */
export function isUsableSlug(slug: string | undefined): slug is string {
  return !!slug && [...slug].length <= SLUG_MAX_LENGTH && !PAGE_IDS.has(slug) && !CLAUSE_LIKE.test(slug);
}

export function headingSlugs(md: MarkdownIt): void {
  md.core.ruler.after('assent_clause_outline', 'assent_heading_slugs', (state: StateCore) => {
    const env = state.env as LegalEnv;
    const taken = new Set(env.outline.map((c) => c.anchor));
    const targets = new Set(taken);
    for (const token of state.tokens) {
      if (token.type === 'paragraph_open' && token.attrGet('id') === 'preamble') targets.add('preamble');
      if (token.type !== 'heading_open') continue;
      const slug = clauseMeta(token).textSlug;
      if (!slug || taken.has(slug) || PAGE_IDS.has(slug)) continue;
      taken.add(slug);
      targets.add(slug);
      noteClauseMeta(token, { aliases: [...(clauseMeta(token).aliases ?? []), slug] });
    }
    env.targets = [...targets];
  });
}
