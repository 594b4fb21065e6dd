/**
 * A document as a sequence of text blocks keyed by clause, which is what the version diff
 * aligns. The first block of a clause is keyed by its anchor (`c3.1.2`); the blocks after it
 * that carry no number of their own by `c3.1.2+1`, `c3.1.2+2`, ….
 */
import type { ParsedLegal } from './pipeline.ts';
import type { Token } from 'markdown-it';
import { clauseMeta } from './clause-meta.ts';
import { inlineText } from './inline-text.ts';

export interface ClauseBlock {
  key: string;
  /** The anchor to link to on the version page. */
  anchor: string;
  kind: 'heading' | 'text';
  /** Plain text, with an ordered list item's number in front: `3. 您向我们…`. */
  text: string;
  /** The bold (key) passages in the block, in order. */
  strong: string[];
}

export function clauseBlocks({ tokens }: ParsedLegal): ClauseBlock[] {
  const blocks: ClauseBlock[] = [];
  const followers = new Map<string, number>();
  let clause = 'preamble';
  let pendingMarker = '';
  let pendingAnchor: string | undefined;
  let kind: ClauseBlock['kind'] = 'text';
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
      if (token.type === 'heading_open') kind = 'heading';
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
    blocks.push({
      key,
      anchor: clause,
      kind,
      text: pendingMarker + inlineText(token),
      strong: strongPassages(token),
    });
    pendingAnchor = undefined;
    pendingMarker = '';
    kind = 'text';
  }
  return blocks;
}

function strongPassages(inline: Token): string[] {
  const passages: string[] = [];
  let depth = 0;
  let text = '';
  for (const child of inline.children ?? []) {
    if (child.type === 'strong_open' && depth++ === 0) text = '';
    else if (child.type === 'strong_close' && --depth === 0) passages.push(text);
    else if (depth > 0 && (child.type === 'text' || child.type === 'code_inline')) text += child.content;
  }
  return passages;
}
