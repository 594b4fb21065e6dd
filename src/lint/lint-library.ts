/**
 * Lint for a whole library, the one entry point: what stopped files from being read (front
 * matter, file names), every body rule over every version and over the files whose front
 * matter is broken, and the checks across the versions of each document. The site build (and
 * so `npm start`) and `assent lint` all call this, so they report the same findings.
 *
 * Work on one file never stops the others: a parse or a check that throws becomes an error
 * finding for its file, and everything else is still reported.
 *
 *   const library = await readLibrary('content');
 *   const { findings, parsed } = lintLibrary(library, createLegalMarkdown());
 *   findings.map(formatFinding);     // sorted by file and position
 *   parsed.get(version);             // the same parse, to render it without parsing twice
 */
import type { MarkdownIt } from 'markdown-it';
import type { DocumentVersion } from '../content/document-file.ts';
import {
  FILE_RULES,
  INTERNAL_RULE,
  sortFindings,
  unexpectedError,
  type Finding,
} from '../content/finding.ts';
import type { Library } from '../content/library.ts';
import { parseLegal, type ParsedLegal } from '../markdown/pipeline.ts';
import { BODY_RULES, lintBody, type LintableBody } from './lint.ts';
import { LINT_CONTROL_RULE } from './lint-control.ts';
import { summaryPlaceholder } from './summary-placeholder.ts';
import { versionOrder } from './version-order.ts';

/** Every rule id a finding can carry. */
export const RULE_IDS: readonly string[] = [
  ...FILE_RULES,
  ...Object.keys(BODY_RULES),
  LINT_CONTROL_RULE,
  'version-order',
  'summary-placeholder',
  INTERNAL_RULE,
];

export interface LibraryLint {
  /** Every finding, sorted by file, then position, then rule. */
  findings: Finding[];
  /** The parse of each version that could be parsed; a version missing here has an error finding. */
  parsed: Map<DocumentVersion, ParsedLegal>;
}

export function lintLibrary(library: Library, md: MarkdownIt): LibraryLint {
  const findings = [...library.findings];
  const parsed = new Map<DocumentVersion, ParsedLegal>();
  const lint = (source: LintableBody): ParsedLegal | undefined => {
    let result: ParsedLegal;
    try {
      result = parseLegal(md, source.body);
    } catch (error) {
      findings.push(unexpectedError(source.file, error));
      return undefined;
    }
    findings.push(...lintBody(source, result));
    return result;
  };
  for (const document of library.documents) {
    for (const version of document.versions) {
      const result = lint(version);
      if (result) parsed.set(version, result);
    }
    findings.push(...acrossVersions(document.versions));
  }
  for (const body of library.unreadable) lint(body);
  return { findings: sortFindings(findings), parsed };
}

function acrossVersions(versions: readonly DocumentVersion[]): Finding[] {
  const findings: Finding[] = [];
  const checks = {
    'version-order': () => versionOrder(versions),
    'summary-placeholder': () => versions.flatMap(summaryPlaceholder),
  };
  for (const [rule, check] of Object.entries(checks)) {
    try {
      findings.push(...check());
    } catch (error) {
      findings.push(unexpectedError(versions.at(-1)!.file, error, rule));
    }
  }
  return findings;
}
