/**
 * A diff as readers get it: each change under the heading it belongs to, unchanged stretches
 * counted rather than repeated, and totals. What the changes page and `assent diff` print.
 *
 *   const report = changeReport(clauseDiff(before, after, 'zh-CN'));
 *   report.counts; // { changed: 3, added: 1, removed: 0 }
 */
import type { ClauseChange, EmphasisChange } from './clause-diff.ts';
import type { WordPart } from './word-diff.ts';

export type ChangeRow =
  | { type: 'unchanged'; count: number }
  /** The heading the next changes are under (itself unchanged). */
  | { type: 'context'; anchor: string; text: string }
  /** `anchor` is on the new version's page. */
  | { type: 'changed'; anchor: string; parts: WordPart[]; emphasis: EmphasisChange }
  | { type: 'added'; anchor: string; text: string }
  /** `anchor` is on the old version's page. */
  | { type: 'removed'; anchor: string; text: string };

export interface ChangeReport {
  rows: ChangeRow[];
  counts: { changed: number; added: number; removed: number };
}

export function changeReport(changes: readonly ClauseChange[]): ChangeReport {
  const rows: ChangeRow[] = [];
  const counts = { changed: 0, added: 0, removed: 0 };
  let heading: { anchor: string; text: string } | undefined;
  let shown: typeof heading;
  for (const change of changes) {
    const block = change.op === 'removed' ? change.before : change.after;
    if (change.op === 'same') {
      if (block.kind === 'heading') heading = { anchor: block.anchor, text: block.text };
      const last = rows[rows.length - 1];
      if (last?.type === 'unchanged') last.count++;
      else rows.push({ type: 'unchanged', count: 1 });
      continue;
    }
    if (block.kind === 'heading') {
      heading = { anchor: block.anchor, text: block.text };
    } else if (heading && heading !== shown) {
      rows.push({ type: 'context', ...heading });
    }
    shown = heading;
    counts[change.op]++;
    if (change.op === 'changed') {
      rows.push({ type: 'changed', anchor: block.anchor, parts: change.parts, emphasis: change.emphasis });
    } else {
      rows.push({ type: change.op, anchor: block.anchor, text: block.text });
    }
  }
  return { rows, counts };
}
