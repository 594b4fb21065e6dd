/**
 * Lint for one document version's Markdown: every body rule, each guarded so that a rule that
 * throws becomes an error finding under its own name instead of hiding what the other rules
 * found, then the body's lint control comments. `lintLibrary` (lint-library.ts) runs this over
 * every version, and is what the site build, `npm start` and `assent lint` call.
 */
import { unexpectedError, type Finding } from '../content/finding.ts';
import type { ParsedLegal } from '../markdown/pipeline.ts';
import { boldBalance } from './bold-balance.ts';
import { brokenLink } from './broken-link.ts';
import { rawHtml } from './raw-html.ts';
import { bracketWidth } from './bracket-width.ts';
import { clauseNumbering } from './clause-numbering.ts';
import { createBodyContext, type BodyRule } from './body-context.ts';
import { duplicateAnchor } from './duplicate-anchor.ts';
import { footnoteRule } from './footnote.ts';
import { applyLintControl, LINT_CONTROL_RULE } from './lint-control.ts';
import { pageBreak } from './page-break.ts';
import { underscoreBold } from './underscore-bold.ts';
import { unnumberedHeading } from './unnumbered-heading.ts';

/**
 * Every body rule, by the id that findings carry and that lint control comments name. A new
 * rule is one file in this folder and one line here.
 */
export const BODY_RULES: Record<string, BodyRule> = {
  'bold-balance': boldBalance,
  'underscore-bold': underscoreBold,
  footnote: footnoteRule,
  'broken-link': brokenLink,
  'raw-html': rawHtml,
  'duplicate-anchor': duplicateAnchor,
  numbering: clauseNumbering,
  'bracket-width': bracketWidth,
  'page-break': pageBreak,
  'unnumbered-heading': unnumberedHeading,
};

export interface LintableBody {
  file: string;
  body: string;
  bodyOffset: number;
}

/** `rules` is for tests; callers lint with every rule. */
export function lintBody(
  source: LintableBody,
  parsed: ParsedLegal,
  rules: Readonly<Record<string, BodyRule>> = BODY_RULES,
): Finding[] {
  const lines = source.body.split('\n');
  const found: Finding[] = [];
  // A check that failed is a bug to report, never something a control comment may silence.
  const failed: Finding[] = [];
  for (const [rule, check] of Object.entries(rules)) {
    try {
      check(createBodyContext(source.file, lines, source.bodyOffset, parsed, rule, found));
    } catch (error) {
      failed.push(unexpectedError(source.file, error, rule));
    }
  }
  try {
    const body = { file: source.file, lines, bodyOffset: source.bodyOffset };
    return [...applyLintControl(found, parsed.env.comments, body, Object.keys(rules)), ...failed];
  } catch (error) {
    return [...found, ...failed, unexpectedError(source.file, error, LINT_CONTROL_RULE)];
  }
}
