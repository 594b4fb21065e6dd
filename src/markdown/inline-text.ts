import type { Token } from 'markdown-it';
import { isJoinedBreak } from './cjk-line-breaks.ts';

/**
 * The plain text of an inline token, as a reader sees it: markup dropped, code and image alt
 * text kept, soft breaks as spaces (except the ones between CJK characters, which the
 * CJK line-break rule has marked as joined). `inlineText(parse('**a** b')[1])` → `'a b'`.
 */
export function inlineText(inline: Token): string {
  let text = '';
  for (const child of inline.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (
      child.type === 'hardbreak' ||
      child.type === 'br_tag' ||
      (child.type === 'softbreak' && !isJoinedBreak(child))
    )
      text += ' ';
    else if (child.type === 'image') text += child.content;
  }
  return text;
}
