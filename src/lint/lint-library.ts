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
  /** The parse of each version linted now; a version missing here was reused or has an error finding. */
  parsed: Map<DocumentVersion, ParsedLegal>;
  /** What the Markdown of each version gave on its own (no cross-version checks), to reuse. */
  bodyFindings: Map<DocumentVersion, Finding[]>;
}

export interface LintOptions {
  /** The body findings of a version that has not changed since they were made, to reuse unparsed. */
  reuse?: (version: DocumentVersion) => Finding[] | undefined;
}

export function lintLibrary(library: Library, md: MarkdownIt, options: LintOptions = {}): LibraryLint {
  const findings = [...library.findings];
  const parsed = new Map<DocumentVersion, ParsedLegal>();
  const bodyFindings = new Map<DocumentVersion, Finding[]>();
  const lint = (source: LintableBody): { parse?: ParsedLegal; findings: Finding[] } => {
    try {
      const parse = parseLegal(md, source.body);
      return { parse, findings: lintBody(source, parse) };
    } catch (error) {
      return { findings: [unexpectedError(source.file, error)] };
    }
  };
  for (const document of library.documents) {
    for (const version of document.versions) {
      const reused = options.reuse?.(version);
      const result = reused ? { findings: reused } : lint(version);
      if ('parse' in result && result.parse) parsed.set(version, result.parse);
      bodyFindings.set(version, result.findings);
      findings.push(...result.findings);
    }
    findings.push(...acrossVersions(document.versions));
  }
  for (const body of library.unreadable) findings.push(...lint(body).findings);
  return { findings: sortFindings(findings), parsed, bodyFindings };
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
