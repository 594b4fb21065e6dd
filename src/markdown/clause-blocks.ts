/**
 * A document as a sequence of text blocks keyed by clause, which is what the version diff
 * aligns. The first block of a clause is keyed by its anchor (`c3.1.2`); the blocks after it
 * that carry no number of their own by `c3.1.2+1`, `c3.1.2+2`, …. Each block knows the heading
 * it stands under, so that a change can be shown in its section.
 */
import type { Token } from 'markdown-it';
import type { ParsedLegal } from './pipeline.ts';
import { boldPassages } from './bold-passages.ts';
import { clauseMeta } from './clause-meta.ts';
import { inlineText } from './inline-text.ts';

export interface ClauseBlock {
  key: string;
  /** The anchor to link to on the version page. */
  anchor: string;
  kind: 'heading' | 'text';
  /** Plain text, with an ordered list item's number in front: `3. 您向我们…`. */
  text: string;
  /** The bold passages in the block, in order (labels included: bolding one is a change too). */
  strong: string[];
  /** The nearest heading before the block (for a heading, the one it is under), if any. */
  section?: { anchor: string; text: string };
}

export function clauseBlocks({ tokens }: ParsedLegal): ClauseBlock[] {
  const blocks: ClauseBlock[] = [];
  const followers = new Map<string, number>();
  /** Open headings by level, to know which heading a block stands under. */
  const headings: Array<{ level: number; anchor: string; text: string }> = [];
  let clause = 'preamble';
  let pendingMarker = '';
  let pendingAnchor: string | undefined;
  let heading: Token | undefined;
  for (const token of tokens) {
    if (token.nesting === 1) {
      const meta = clauseMeta(token);
      if (meta.anchor) {
        clause = meta.anchor;
        pendingAnchor = clause;
      } else if (meta.clause) {
        clause = meta.clause;
      }
      if (token.type === 'list_item_open' && (token.markup === '.' || token.markup === ')')) {
        pendingMarker = `${token.info}${token.markup} `;
      }
      if (token.type === 'heading_open') heading = token;
    }
    if (token.type !== 'inline') continue;
    let key: string;
    if (pendingAnchor) {
      key = pendingAnchor;
    } else {
      const n = (followers.get(clause) ?? 0) + 1;
      followers.set(clause, n);
      key = `${clause}+${n}`;
    }
    const text = pendingMarker + inlineText(token);
    if (heading) {
      const level = Number(heading.tag.slice(1));
      while (headings.length && headings[headings.length - 1]!.level >= level) headings.pop();
    }
    const under = headings[headings.length - 1];
    blocks.push({
      key,
      anchor: clause,
      kind: heading ? 'heading' : 'text',
      text,
      strong: boldPassages(token).map((p) => p.text),
      ...(under ? { section: { anchor: under.anchor, text: under.text } } : {}),
    });
    if (heading) headings.push({ level: Number(heading.tag.slice(1)), anchor: clause, text });
    pendingAnchor = undefined;
    pendingMarker = '';
    heading = undefined;
  }
  return blocks;
}
