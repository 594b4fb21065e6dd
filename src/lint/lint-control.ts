/**
 * Lint control comments, in markdownlint's convention
 * (https://github.com/DavidAnson/markdownlint#configuration), so that an editor can keep a
 * quirk of the published text and say why, in the file, next to it:
 *
 *   <!-- assent-lint-disable-next-line numbering -- (2) is missing in the published original -->
 *   <!-- assent-lint-disable-line bracket-width -->         the lines of the comment itself
 *   <!-- assent-lint-disable numbering bracket-width -->    until
 *   <!-- assent-lint-enable numbering -->                   (no rule ids: every rule)
 *
 * Rule ids are separated by spaces (or commas); what follows ` -- ` is the reason, for people.
 * "The next line" is the next one that is neither blank nor only a comment, so that a control
 * comment may stand apart from the clause and several may be stacked. A misspelt rule id or
 * directive would silently silence nothing (or everything), so it is a `lint-control` warning
 * that lists what is known. Only body findings are controlled; front matter and file findings
 * are not.
 */
import type { Finding } from '../content/finding.ts';
import type { LegalComment } from '../markdown/legal-env.ts';

export const LINT_CONTROL_RULE = 'lint-control';

const PREFIX = 'assent-lint';
const DIRECTIVES = ['disable-next-line', 'disable-line', 'disable', 'enable'] as const;
type DirectiveKind = (typeof DIRECTIVES)[number];

interface Directive {
  kind: DirectiveKind;
  /** The rules it names; every known rule when it names none. */
  rules: ReadonlySet<string>;
  comment: LegalComment;
}

export interface ControlledBody {
  file: string;
  /** Body lines, LF-split. */
  lines: readonly string[];
  /** Lines before the body: body line n (0-based) is file line n + bodyOffset + 1. */
  bodyOffset: number;
}

/**
 * The findings that the body's control comments leave standing, followed by a warning for
 * each control comment that names an unknown directive or rule.
 */
export function applyLintControl(
  findings: readonly Finding[],
  comments: readonly LegalComment[],
  body: ControlledBody,
  knownRules: readonly string[],
): Finding[] {
  const problems: Finding[] = [];
  const directives: Directive[] = [];
  for (const comment of comments) {
    const directive = readDirective(comment, body, knownRules, problems);
    if (directive) directives.push(directive);
  }
  if (directives.length === 0) return [...findings, ...problems];

  directives.sort((a, b) => a.comment.line - b.comment.line);
  const commentOnly = commentOnlyLines(comments, body.lines);
  const nextLine = (after: number) => {
    for (let line = after + 1; line < body.lines.length; line++) {
      if (body.lines[line]!.trim() !== '' && !commentOnly.has(line)) return line;
    }
    return -1;
  };
  const targets = directives.map(({ kind, comment }) => {
    if (kind === 'disable-line') return { from: comment.line, to: comment.endLine };
    if (kind === 'disable-next-line') {
      const line = nextLine(comment.endLine);
      return { from: line, to: line };
    }
    return undefined;
  });
  const silenced = (rule: string, line: number): boolean => {
    let once = false;
    let ranged = false;
    directives.forEach(({ kind, rules, comment }, i) => {
      if (!rules.has(rule)) return;
      const target = targets[i];
      if (target) once ||= line >= target.from && line <= target.to;
      // A range starts on the line of its comment and lasts until a later comment changes it.
      else if (comment.line <= line) ranged = kind === 'disable';
    });
    return once || ranged;
  };
  const kept = findings.filter((f) => !silenced(f.rule, f.line - body.bodyOffset - 1));
  return [...kept, ...problems];
}

/** The directive a comment gives, or undefined for an ordinary comment or one that names nothing known. */
function readDirective(
  comment: LegalComment,
  body: ControlledBody,
  knownRules: readonly string[],
  problems: Finding[],
): Directive | undefined {
  if (!comment.text.startsWith(PREFIX)) return undefined;
  const [control = ''] = comment.text.split(/\s--(?:\s|$)/, 1);
  const [name = '', ...ids] = control.split(/[\s,]+/).filter(Boolean);
  const warn = (word: string, message: string) => {
    const at = locate(comment, body.lines, word);
    problems.push({
      file: body.file,
      line: at.line + body.bodyOffset + 1,
      column: at.column + 1,
      severity: 'warning',
      message,
      rule: LINT_CONTROL_RULE,
    });
  };
  const kind = DIRECTIVES.find((d) => name === `${PREFIX}-${d}`);
  if (!kind) {
    warn(
      name,
      `unknown lint control \`${name}\`: use ${DIRECTIVES.map((d) => `\`${PREFIX}-${d}\``).join(', ')}, followed by rule ids`,
    );
    return undefined;
  }
  const known = ids.filter((id) => knownRules.includes(id));
  for (const id of ids) {
    if (!knownRules.includes(id)) {
      warn(id, `unknown rule \`${id}\` in \`${name}\`: the rules are ${knownRules.join(', ')}`);
    }
  }
  // Naming only unknown rules must not silence every rule.
  if (ids.length > 0 && known.length === 0) return undefined;
  return { kind, rules: new Set(ids.length ? known : knownRules), comment };
}

/** Where a word of a comment is, 0-based, for a warning about it; the comment's start otherwise. */
function locate(
  comment: LegalComment,
  lines: readonly string[],
  word: string,
): { line: number; column: number } {
  const start = Math.max(0, lines[comment.line]?.indexOf(PREFIX) ?? 0);
  for (let line = comment.line; line <= comment.endLine; line++) {
    const column = word ? (lines[line]?.indexOf(word, line === comment.line ? start : 0) ?? -1) : -1;
    if (column >= 0) return { line, column };
  }
  return { line: comment.line, column: start };
}

/** Body lines that hold nothing but comments, which "the next line" skips. */
function commentOnlyLines(comments: readonly LegalComment[], lines: readonly string[]): Set<number> {
  const only = new Set<number>();
  for (const { line, endLine } of comments) {
    const text = lines.slice(line, endLine + 1).join('\n');
    if (text.replace(/<!--[\s\S]*?-->/g, '').trim() !== '') continue;
    for (let l = line; l <= endLine; l++) only.add(l);
  }
  return only;
}
