/**
 * One problem in a content file, reported the way compilers do so that editors and terminals
 * can jump to it: `content/x/2020-12-01.md:12:5: error: … [rule]`. Reading a file (here, in
 * src/content) and linting it (src/lint) both report findings; lint imports this module,
 * never the other way round.
 */

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Path as given (relative to the working directory where possible). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  severity: Severity;
  message: string;
  /** Stable rule id, e.g. `bold-balance`. */
  rule: string;
}

/** The rule id of an exception nobody expected: a bug in Assent or in a markdown-it plugin. */
export const INTERNAL_RULE = 'internal';

/** Rule ids of what stops a file from being read, besides INTERNAL_RULE. */
export const FILE_RULES = ['front-matter', 'file-name', 'file-read'] as const;

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}]`;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Stable order for output: by file, then position, then rule. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.rule.localeCompare(b.rule),
  );
}

/**
 * An exception thrown while working on one file (parsing it, one lint rule, rendering it), as
 * an error on that file: the other files are still checked and every finding is still
 * reported. `rule` names the one check that threw; otherwise the finding is INTERNAL_RULE.
 * `task` says what could not be done, when it is narrower than processing the file.
 *
 *   unexpectedError('content/a/2024-01-01.md', new TypeError('Expected a code point, got undefined'))
 *   → content/a/2024-01-01.md:1:1: error: could not process this file: Expected a code point, got undefined — please report this with the file [internal]
 */
export function unexpectedError(
  file: string,
  error: unknown,
  rule: string = INTERNAL_RULE,
  task = rule === INTERNAL_RULE ? 'process this file' : 'run this check on this file',
): Finding {
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
  return {
    file,
    line: 1,
    column: 1,
    severity: 'error',
    message: `could not ${task}: ${reason || 'unknown error'} — please report this with the file`,
    rule,
  };
}
