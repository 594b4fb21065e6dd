/**
 * The Markdown pipeline for legal documents: markdown-it with raw HTML off and its default
 * link validation (no `javascript:` or `data:` URLs), CJK-friendly emphasis and line breaks,
 * HTML comments kept out of sight, GitHub alerts, footnotes, clauses split at numbered lines, clause
 * anchors and heading aliases, key passages and as-written numbering. Pure: text in, HTML and
 * outline out.
 *
 *   const md = createLegalMarkdown();
 *   const parsed = parseLegal(md, body);
 *   renderLegal(md, parsed, { linkToClause: (n) => `Link to clause ${n}` });
 */
import markdownIt, { type MarkdownIt, type Token } from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import { alerts } from './alerts.ts';
import { brTags } from './br-tags.ts';
import { footnotes } from './footnotes.ts';
import { cjkLineBreaks } from './cjk-line-breaks.ts';
import { clauseLines } from './clause-lines.ts';
import { clauseOutline } from './clause-outline.ts';
import { clauseRendering, type ClauseLabels } from './clause-rendering.ts';
import { headingSlugs } from './heading-slugs.ts';
import { htmlComments } from './html-comments.ts';
import { keyPassages } from './key-passages.ts';
import { createLegalEnv, type LegalEnv } from './legal-env.ts';

export type { ClauseLabels };

export function createLegalMarkdown(): MarkdownIt {
  // `typographer` stays off: legal text is shown exactly as written, quotes and dashes included.
  const md = markdownIt({ html: false, linkify: false, typographer: false });
  // Core rules run in this order: split numbered lines, join CJK lines, outline, slugs, key passages.
  md.use(cjkFriendly).use(htmlComments).use(brTags).use(alerts).use(clauseLines).use(cjkLineBreaks);
  // Footnotes after heading slugs: a note's id must not take a clause's or a heading's.
  md.use(clauseOutline).use(headingSlugs).use(footnotes).use(keyPassages);
  clauseRendering(md);
  return md;
}

export interface ParsedLegal {
  tokens: Token[];
  env: LegalEnv;
}

export function parseLegal(md: MarkdownIt, body: string): ParsedLegal {
  const env = createLegalEnv();
  const tokens = md.parse(body, env);
  return { tokens, env };
}

export function renderLegal(md: MarkdownIt, parsed: ParsedLegal, labels: ClauseLabels): string {
  return md.renderer.render(parsed.tokens, md.options, { ...parsed.env, labels });
}
