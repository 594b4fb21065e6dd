import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLibrary, type Library } from '../../content/library.ts';
import type { DocumentVersion } from '../../content/document-file.ts';
import { changeReport, type ChangeReport, type RowSection } from '../../diff/change-report.ts';
import { clauseDiff } from '../../diff/clause-diff.ts';
import type { WordPart } from '../../diff/word-diff.ts';
import { formatFinding } from '../../content/finding.ts';
import { clauseBlocks, type ClauseBlock } from '../../markdown/clause-blocks.ts';
import { createLegalMarkdown, parseLegal } from '../../markdown/pipeline.ts';
import { defaultContentFolder } from '../content-folder.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

export const diff: Command = {
  name: 'diff',
  summary: 'show what changed between two versions, clause by clause',
  help: `Usage: assent diff <slug> <from> <to> [--content DIR] [--color|--no-color]

Prints the changes between two versions of a document, aligned clause by clause under the
heading each is in, with the words that changed inside each clause marked: [-removed-]
{+added+}, coloured on a terminal. Unchanged stretches are counted. Spaces and line wrapping
are not changes; a clause whose words are the same but whose bold changed is marked
"formatting only", with the passages that became bold or are no longer bold.

  <slug>         the document, e.g. besttrav-privacy-policy
  <from> <to>    two of its versions (effective dates), e.g. 2020-12-01 2021-06-01
  --content DIR  the content folder (default: $ASSENT_CONTENT_DIR, or content)

Exit codes: 0 printed, 1 unknown document or version, or one that cannot be read,
2 bad arguments.`,
  async run(args) {
    const { values, positionals } = parseDiffArgs(args);
    if (positionals.length !== 3) throw new UsageError('give a document slug and two versions');
    const [slug, from, to] = positionals as [string, string, string];
    const dir = values.content ?? defaultContentFolder();
    const library = await readContent(dir, values.content === undefined);
    const document = library.documents.find((d) => d.slug === slug);
    if (!document) {
      throw new Error(
        `no document "${slug}" in ${dir}/; there are: ${library.documents.map((d) => d.slug).join(', ') || 'none'}` +
          problemsIn(library, join(dir, slug)),
      );
    }
    const find = (version: string) => {
      const found = document.versions.find((v) => v.version === version);
      if (!found)
        throw new Error(
          `${slug} has no version ${version}; it has: ${document.versions.map((v) => v.version).join(', ')}` +
            problemsIn(library, join(dir, slug, `${version}.md`)),
        );
      return found;
    };
    const before = find(from);
    const after = find(to);
    const md = createLegalMarkdown();
    const blocks = (v: DocumentVersion): ClauseBlock[] => {
      try {
        return clauseBlocks(parseLegal(md, v.body));
      } catch (error) {
        throw new Error(`${v.file}: cannot read its Markdown: ${(error as Error).message}`, { cause: error });
      }
    };
    const beforeBlocks = blocks(before);
    const afterBlocks = blocks(after);
    let report: ChangeReport;
    try {
      report = changeReport(clauseDiff(beforeBlocks, afterBlocks, after.frontMatter.locale));
    } catch (error) {
      throw new Error(`cannot diff ${before.file} with ${after.file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const color = values['no-color']
      ? false
      : (values.color ?? (process.stdout.isTTY && !process.env.NO_COLOR));
    console.log(formatReport(report, { color: Boolean(color) }));
    return EXIT.ok;
  },
};

function parseDiffArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        content: { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
      },
    });
  } catch (error) {
    // An unknown option is a usage error (exit 2), not a failure.
    throw new UsageError((error as Error).message);
  }
}

async function readContent(dir: string, fromEnvironment: boolean): Promise<Library> {
  try {
    return await readLibrary(dir);
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message;
    const source = fromEnvironment && process.env.ASSENT_CONTENT_DIR ? ' (from ASSENT_CONTENT_DIR)' : '';
    throw new Error(`cannot read the content folder ${dir}${source}: ${why}`, { cause: error });
  }
}

/** The errors that kept files under `path` out of the library, as lines to append to a message. */
function problemsIn(library: Library, path: string): string {
  const problems = library.findings.filter(
    (f) => f.severity === 'error' && (f.file === path || f.file.startsWith(`${path}/`)),
  );
  return problems.map((f) => `\n  ${formatFinding(f)}`).join('');
}

const ansi = (code: string, on: boolean) => (text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/**
 * Control characters from a document would drive the terminal (an escape sequence can rewrite
 * what was printed before it): they are shown as `\u001b` instead.
 */
function printable(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function formatReport(report: ChangeReport, options: { color: boolean }): string {
  const red = ansi('31', options.color);
  const green = ansi('32', options.color);
  const dim = ansi('2', options.color);
  const bold = ansi('1', options.color);
  // Ends with "normal intensity" rather than a reset, so that it can sit inside red or green.
  const strong = (text: string) => (options.color ? `\x1b[1m${text}\x1b[22m` : text);
  const removed = (text: string) => red(options.color ? text : `[-${text}-]`);
  const added = (text: string) => green(options.color ? text : `{+${text}+}`);
  // Parts split where bold starts or ends; bold shows only in colour, so one run of an op is
  // marked once: `{+We never sell+}`, not `{+We +}{+never+}{+ sell+}`.
  const words = (parts: WordPart[]) => {
    const runs: Array<{ op: WordPart['op']; text: string }> = [];
    for (const p of parts) {
      const text = p.strong ? strong(printable(p.text)) : printable(p.text);
      const last = runs[runs.length - 1];
      if (last?.op === p.op) last.text += text;
      else runs.push({ op: p.op, text });
    }
    return runs
      .map((r) => (r.op === 'same' ? r.text : r.op === 'added' ? added(r.text) : removed(r.text)))
      .join('');
  };
  const heading = (section: RowSection | undefined) =>
    section ? bold(printable(section.text)) : dim('(before the first heading)');

  const { changed, added: addedCount, removed: removedCount } = report.counts;
  const lines = [bold(`${changed} changed, ${addedCount} added, ${removedCount} removed`)];
  for (const row of report.rows) {
    switch (row.type) {
      case 'unchanged':
        lines.push(dim(`  … ${row.count} unchanged`));
        break;
      case 'context':
        lines.push(heading(row.section));
        break;
      case 'changed':
        lines.push(
          `  ${row.formattingOnly ? 'formatting only' : 'changed'} #${row.anchor}`,
          `    ${words(row.parts)}`,
        );
        for (const text of row.emphasis.added) lines.push(`    now bold: ${printable(text)}`);
        for (const text of row.emphasis.removed) lines.push(`    no longer bold: ${printable(text)}`);
        break;
      case 'added':
      case 'removed':
        lines.push(`  ${row.type} #${row.anchor}`, `    ${words(row.parts)}`);
        break;
    }
  }
  return lines.join('\n');
}
