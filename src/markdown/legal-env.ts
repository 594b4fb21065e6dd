/**
 * What one parse of a legal document yields besides its tokens. markdown-it threads this
 * `env` object through every rule; each plugin fills its own part.
 */
import type { Env } from 'markdown-it';
import type { ClauseMarker } from './clause-markers.ts';

/** One numbered clause or heading, as clause-outline.ts finds it. */
export interface ClauseOccurrence {
  /** The id in the page; differs from `baseAnchor` only for a duplicate (`_2`). */
  anchor: string;
  baseAnchor: string;
  /** Anchor of the clause that scopes this one, or null at the top. */
  parent: string | null;
  /** null for an unnumbered heading. */
  marker: ClauseMarker | null;
  /** The number as shown (`3.1.2`, `（1）`, `A`), or the text of an unnumbered heading. */
  label: string;
  kind: 'heading' | 'paragraph' | 'list-item';
  /** Heading level (2 for `##`); undefined for body clauses. */
  depth?: number;
  /** 0-based line of the block in the Markdown body. */
  line: number;
  /** Plain text of the block's first line of content, for messages. */
  text: string;
}

export interface TocEntry {
  /** Heading level, 2 for `##`. */
  depth: number;
  anchor: string;
  text: string;
}

export interface KeyPassage {
  /** The clause the bold passage is in. */
  anchor: string;
  /** That clause's number as written (`2.3`, `（1）`), when it has one. */
  clause?: string;
  text: string;
  /** 0-based line in the Markdown body. */
  line: number;
}

export interface LegalEnv extends Env {
  outline: ClauseOccurrence[];
  toc: TocEntry[];
  keyPassages: KeyPassage[];
  /** Headings that have neither a clause number nor `{#id}`; `depth` 2 for `##`. */
  positionalHeadings: Array<{ line: number; depth: number; text: string; anchor: string }>;
  /** Every id in the rendered body that a link may point to: anchors, heading aliases. */
  targets: string[];
  /** HTML comments (`<!-- … -->`), never shown: what lint control reads. */
  comments: LegalComment[];
  /** `[^label]: …` definitions in document order (footnotes.ts); `referenced` once parsed. */
  footnoteDefinitions: FootnoteDefinition[];
  /**
   * Each footnote the page shows, by the footnote plugin's note index: its id (`#fn-<id>`) and
   * its number. (`env.footnotes` is the plugin's own.)
   */
  shownFootnotes: Array<{ id: string; number: number } | undefined>;
}

export interface FootnoteDefinition {
  label: string;
  /** 0-based body line of the note's text. */
  line: number;
  /** Whether the text refers to it; a note nothing refers to is not shown. */
  referenced?: boolean;
}

export interface LegalComment {
  /** 0-based body line where the comment starts. */
  line: number;
  /** 0-based body line where it ends (the same line for a one-line comment). */
  endLine: number;
  /** What is between `<!--` and `-->`, trimmed. */
  text: string;
}

export function createLegalEnv(): LegalEnv {
  return {
    outline: [],
    toc: [],
    keyPassages: [],
    positionalHeadings: [],
    targets: [],
    comments: [],
    footnoteDefinitions: [],
    shownFootnotes: [],
  };
}
