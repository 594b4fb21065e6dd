import type { Token } from 'markdown-it';

/**
 * The plain text of an inline token, as a reader sees it: markup dropped, code and image alt
 * text kept, soft breaks as spaces (markdown-it-cjk-breaks has already emptied the ones
 * between CJK characters). `inlineText(parse('**a** b')[1])` → `'a b'`.
 */
export function inlineText(inline: Token): string {
  let text = '';
  for (const child of inline.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
    else if (child.type === 'image') text += child.content;
  }
  return text;
}
