/**
 * One problem in a content file, reported the way compilers do so that editors and terminals
 * can jump to it: `content/x/2020-12-01.md:12:5: error: … [rule]`.
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
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
  );
}
