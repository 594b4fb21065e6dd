/**
 * A diff as readers get it: each change with the section (heading) it is in, unchanged
 * stretches counted rather than repeated, and totals. What the changes page and `assent diff`
 * print.
 *
 *   const report = changeReport(clauseDiff(before, after, 'zh-CN'));
 *   report.counts; // { changed: 3, added: 1, removed: 0, formatting: 1 }
 *
 * A `context` row names the section the rows after it are in. It comes before the first change
 * of each section, and again after an unchanged stretch, so that a reader never has to scroll
 * back to learn where a change is.
 */
import type { ClauseBlock } from '../markdown/clause-blocks.ts';
import type { ClauseChange, EmphasisChange } from './clause-diff.ts';
import { styledParts, type WordPart } from './word-diff.ts';

/** A heading, and which version's page its anchor is on. */
export interface RowSection {
  anchor: string;
  text: string;
  version: 'before' | 'after';
}

/**
 * The section a change is in: the old version's for a removed block, the new one's otherwise.
 * Absent for a block before the document's first heading.
 */
interface InSection {
  section?: RowSection;
}

export type ChangeRow =
  | { type: 'unchanged'; count: number }
  /** The section the next changes are in; without `section`, they come before any heading. */
  | ({ type: 'context' } & InSection)
  /** `anchor` is on the new version's page. `formattingOnly`: same words, bold changed. */
  | ({
      type: 'changed';
      anchor: string;
      parts: WordPart[];
      emphasis: EmphasisChange;
      formattingOnly: boolean;
    } & InSection)
  /** `parts`: the text, split where it is bold. */
  | ({ type: 'added'; anchor: string; text: string; parts: WordPart[] } & InSection)
  /** `anchor` is on the old version's page. */
  | ({ type: 'removed'; anchor: string; text: string; parts: WordPart[] } & InSection);

export interface ChangeReport {
  rows: ChangeRow[];
  /** `formatting` counts the changed clauses whose words are the same (part of `changed`). */
  counts: { changed: number; added: number; removed: number; formatting: number };
}

export function changeReport(changes: readonly ClauseChange[]): ChangeReport {
  const rows: ChangeRow[] = [];
  const counts = { changed: 0, added: 0, removed: 0, formatting: 0 };
  let shown: RowSection | undefined;
  for (const change of changes) {
    if (change.op === 'same') {
      const last = rows[rows.length - 1];
      if (last?.type === 'unchanged') last.count++;
      else rows.push({ type: 'unchanged', count: 1 });
      continue;
    }
    const block = change.op === 'removed' ? change.before : change.after;
    const section = sectionOf(block, change.op === 'removed' ? 'before' : 'after');
    const previous = rows[rows.length - 1];
    if (!previous || previous.type === 'unchanged' || !sameSection(section, shown)) {
      // Nothing to name before the first heading, unless a section was named above.
      if (section || (previous && shown))
        rows.push(section ? { type: 'context', section } : { type: 'context' });
      shown = section;
    }
    const where = section ? { section } : {};
    counts[change.op]++;
    if (change.op === 'changed') {
      if (change.formattingOnly) counts.formatting++;
      rows.push({
        type: 'changed',
        anchor: block.anchor,
        parts: change.parts,
        emphasis: change.emphasis,
        formattingOnly: change.formattingOnly,
        ...where,
      });
    } else {
      const parts = styledParts(block, change.op);
      rows.push({ type: change.op, anchor: block.anchor, text: block.text, parts, ...where });
    }
  }
  return { rows, counts };
}

/** A top-level heading is under no other: it opens its own section, and is shown as in it. */
function sectionOf(block: ClauseBlock, version: RowSection['version']): RowSection | undefined {
  const section = block.section ?? (block.kind === 'heading' ? block : undefined);
  return section ? { anchor: section.anchor, text: section.text, version } : undefined;
}

/** The same heading for a reader, whichever version's page it links to. */
function sameSection(a: RowSection | undefined, b: RowSection | undefined): boolean {
  return a?.anchor === b?.anchor && a?.text === b?.text;
}
