import { formatFinding, hasErrors } from '../../content/finding.ts';
import { lintPaths } from '../../lint/lint-files.ts';
import { EXIT, type Command } from '../command.ts';
import { defaultContentFolder } from '../content-folder.ts';

export const lint: Command = {
  name: 'lint',
  summary: 'check legal documents for problems an editor should fix',
  help: `Usage: assent lint [paths...]

Checks the Markdown of every document version: front matter, file names, unbalanced **,
__bold__ beside Chinese text (not bold there), footnotes with no note or no reference, clause
numbers that skip or repeat, duplicate clause anchors, paragraphs split by a PDF page break,
mixed full- and half-width brackets, broken in-page links, and the order of versions.

Paths are files or folders; the default is $ASSENT_CONTENT_DIR, or content/. Each finding is printed as
  file:line:column: error|warning: message [rule]

A quirk kept on purpose (the published text has it) is acknowledged in the file, with the
rule id and a reason:
  <!-- assent-lint-disable-next-line numbering -- (2) is missing in the original -->
  <!-- assent-lint-disable bracket-width --> … <!-- assent-lint-enable bracket-width -->
  <!-- assent-lint-disable-line page-break -->

Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 bad arguments.`,
  async run(args) {
    const findings = await lintPaths(args.length ? args : [defaultContentFolder()]);
    for (const f of findings) console.log(formatFinding(f));
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    console.error(
      `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    );
    return hasErrors(findings) ? EXIT.failed : EXIT.ok;
  },
};
