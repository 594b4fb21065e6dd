/**
 * What one parse of a legal document yields besides its tokens. markdown-it threads this
 * `env` object through every rule; each plugin fills its own part.
 */
import type { Env } from 'markdown-it';
import type { ClauseOccurrence } from './clause-outline.ts';

export interface TocEntry {
  /** Heading level, 2 for `##`. */
  depth: number;
  anchor: string;
  text: string;
}

export interface KeyPassage {
  /** The clause the bold passage is in. */
  anchor: string;
  text: string;
  /** 0-based line in the Markdown body. */
  line: number;
}

export interface LegalEnv extends Env {
  outline: ClauseOccurrence[];
  toc: TocEntry[];
  keyPassages: KeyPassage[];
  /** Headings that have neither a clause number nor `{#id}`. */
  positionalHeadings: Array<{ line: number; text: string; anchor: string }>;
}

export function createLegalEnv(): LegalEnv {
  return { outline: [], toc: [], keyPassages: [], positionalHeadings: [] };
}
