import { parseArgs } from 'node:util';
import { readLibrary } from '../../content/library.ts';
import { changeReport, type ChangeReport } from '../../diff/change-report.ts';
import { clauseDiff } from '../../diff/clause-diff.ts';
import type { WordPart } from '../../diff/word-diff.ts';
import { clauseBlocks } from '../../markdown/clause-blocks.ts';
import { createLegalMarkdown, parseLegal } from '../../markdown/pipeline.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

export const diff: Command = {
  name: 'diff',
  summary: 'show what changed between two versions, clause by clause',
  help: `Usage: assent diff <slug> <from> <to> [--content DIR] [--color|--no-color]

Prints the changes between two versions of a document, aligned clause by clause under the
heading each is in, with the words that changed inside each clause marked: [-removed-]
{+added+}, coloured on a terminal. Unchanged stretches are counted.

  <slug>         the document, e.g. besttrav-privacy-policy
  <from> <to>    two of its versions (effective dates), e.g. 2020-12-01 2021-06-01
  --content DIR  the content folder (default: content)

Exit codes: 0 printed, 1 unknown document or version, 2 bad arguments.`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        content: { type: 'string', default: 'content' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
      },
    });
    if (positionals.length !== 3) throw new UsageError('give a document slug and two versions');
    const [slug, from, to] = positionals as [string, string, string];
    const library = await readLibrary(values.content);
    const document = library.documents.find((d) => d.slug === slug);
    if (!document) {
      throw new Error(
        `no document "${slug}" in ${values.content}/; there are: ${library.documents.map((d) => d.slug).join(', ')}`,
      );
    }
    const find = (version: string) => {
      const found = document.versions.find((v) => v.version === version);
      if (!found)
        throw new Error(
          `${slug} has no version ${version}; it has: ${document.versions.map((v) => v.version).join(', ')}`,
        );
      return found;
    };
    const before = find(from);
    const after = find(to);
    const md = createLegalMarkdown();
    const report = changeReport(
      clauseDiff(
        clauseBlocks(parseLegal(md, before.body)),
        clauseBlocks(parseLegal(md, after.body)),
        after.frontMatter.locale,
      ),
    );
    const color = values['no-color']
      ? false
      : (values.color ?? (process.stdout.isTTY && !process.env.NO_COLOR));
    console.log(formatReport(report, { color: Boolean(color) }));
    return EXIT.ok;
  },
};

const ansi = (code: string, on: boolean) => (text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

export function formatReport(report: ChangeReport, options: { color: boolean }): string {
  const red = ansi('31', options.color);
  const green = ansi('32', options.color);
  const dim = ansi('2', options.color);
  const bold = ansi('1', options.color);
  const removed = (text: string) => red(options.color ? text : `[-${text}-]`);
  const added = (text: string) => green(options.color ? text : `{+${text}+}`);
  const words = (parts: WordPart[]) =>
    parts
      .map((p) => (p.op === 'same' ? p.text : p.op === 'added' ? added(p.text) : removed(p.text)))
      .join('');

  const { changed, added: addedCount, removed: removedCount } = report.counts;
  const lines = [bold(`${changed} changed, ${addedCount} added, ${removedCount} removed`)];
  for (const row of report.rows) {
    switch (row.type) {
      case 'unchanged':
        lines.push(dim(`  … ${row.count} unchanged`));
        break;
      case 'context':
        lines.push(bold(row.text));
        break;
      case 'changed':
        lines.push(`  changed #${row.anchor}`, `    ${words(row.parts)}`);
        for (const text of row.emphasis.added) lines.push(`    now bold: ${text}`);
        for (const text of row.emphasis.removed) lines.push(`    no longer bold: ${text}`);
        break;
      case 'added':
        lines.push(`  added #${row.anchor}`, `    ${added(row.text)}`);
        break;
      case 'removed':
        lines.push(`  removed #${row.anchor}`, `    ${removed(row.text)}`);
        break;
    }
  }
  return lines.join('\n');
}
