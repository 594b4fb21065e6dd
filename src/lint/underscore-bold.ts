/**
 * underscore-bold: `__重要条款__` written beside Chinese text. Markdown makes bold of `__…__`
 * only between spaces or punctuation, so `本协议__重要条款__适用` shows its underscores and no
 * bold, while the same passage in `**…**` is bold (and a key clause). Editors who learnt
 * Markdown in English, where `__bold__` stands between spaces, meet this first in Chinese text.
 */
import { inlineBlocks, type BodyRule } from './body-context.ts';

/** A `__…__` pair left as text, not escaped in the source. */
const LITERAL_PAIR = /(?<![\\_])__(?![\s_])([^_\n]*?[^\s_\\])__(?!_)/gu;
/** Han, kana, hangul and CJK punctuation: where underscores cannot open or close bold. */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

export const underscoreBold: BodyRule = (ctx) => {
  for (const { block, first, last } of inlineBlocks(ctx)) {
    const literal = new Set<string>();
    for (const child of block.children ?? []) {
      if (child.type !== 'text') continue;
      for (const match of child.content.matchAll(LITERAL_PAIR)) literal.add(match[1]!);
    }
    if (literal.size === 0) continue;
    for (let line = first; line <= last; line++) {
      const text = ctx.lines[line] ?? '';
      for (const match of text.matchAll(LITERAL_PAIR)) {
        const inner = match[1]!;
        const before = text[match.index - 1] ?? '';
        const after = text[match.index + match[0].length] ?? '';
        if (!literal.has(inner) || !CJK.test(before + inner + after)) continue;
        ctx.report(
          line,
          match.index,
          'warning',
          `\`__${inner}__\` is not bold here: underscores next to Chinese characters show as written; write \`**${inner}**\` to make it bold`,
        );
      }
    }
  }
};
