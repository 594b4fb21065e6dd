/**
 * Lint for legal editors: every rule over one document version's Markdown, and the checks
 * across versions. The site build and `assent lint` both call this; errors fail the build,
 * warnings are printed.
 */
import type { ParsedLegal } from '../markdown/pipeline.ts';
import { boldBalance } from './bold-balance.ts';
import { bracketWidth } from './bracket-width.ts';
import { clauseNumbering } from './clause-numbering.ts';
import { createBodyContext, type BodyRule } from './body-context.ts';
import { duplicateAnchor } from './duplicate-anchor.ts';
import type { Finding } from './finding.ts';
import { pageBreak } from './page-break.ts';
import { unnumberedHeading } from './unnumbered-heading.ts';

export const BODY_RULES: Record<string, BodyRule> = {
  'bold-balance': boldBalance,
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

export function lintBody(source: LintableBody, parsed: ParsedLegal): Finding[] {
  const findings: Finding[] = [];
  const lines = source.body.split('\n');
  for (const [rule, check] of Object.entries(BODY_RULES)) {
    check(createBodyContext(source.file, lines, source.bodyOffset, parsed, rule, findings));
  }
  return findings;
}
