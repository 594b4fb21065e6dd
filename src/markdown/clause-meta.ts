/**
 * What the pipeline's rules note on a token (`token.meta`), typed in one place.
 */
import type { Token } from 'markdown-it';

export interface ClauseMeta {
  /** The id this block carries: it starts a clause. */
  anchor?: string;
  /** The clause an unnumbered block belongs to. */
  clause?: string;
  /** The clause number as shown in the link's accessible name: `3.1.2`, `（1）`, `三`. */
  clauseLabel?: string;
  /** On a heading: its GitHub-style text slug (`a-definitions`). */
  textSlug?: string;
  /** On a heading: other ids it answers to (its text slug, when that is not its anchor). */
  aliases?: string[];
  /** On a bullet list: how many items carry their own number. */
  numberedItems?: number;
  /** On a bullet list: whether some item carries none. */
  plainItems?: boolean;
}

export function clauseMeta(token: Token): ClauseMeta {
  return (token.meta ?? {}) as ClauseMeta;
}

export function noteClauseMeta(token: Token, meta: ClauseMeta): void {
  token.meta = { ...token.meta, ...meta };
}
