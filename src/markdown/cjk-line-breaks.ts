/**
 * Soft line breaks between two East Asian wide characters: dropped, not rendered as a space.
 * Chinese has no spaces between words, so an editor's line wrap (or a PDF copy's) inside a
 * sentence must not put one there (`我们收集的\n信息` → `我们收集的信息`). Latin text keeps its
 * space, and so does a break next to Hangul, which uses spaces.
 *
 * This is the rule of markdown-it-cjk-breaks, rewritten because that plugin crashes
 * (`Expected a code point, got undefined`) whenever the nearest text token beside a break is
 * empty, which markdown-it leaves next to emphasis (`文字\n**粗体**`, `text **bold**\ntext`)
 * and which the plugin itself creates when it drops two breaks in a row.
 */
import { eastAsianWidthType } from 'get-east-asian-width';
import type { MarkdownIt, StateCore, Token } from 'markdown-it';

const HANGUL = /\p{Script=Hangul}/u;

export function cjkLineBreaks(md: MarkdownIt): void {
  md.core.ruler.push('assent_cjk_line_breaks', (state: StateCore) => {
    for (const token of state.tokens) if (token.type === 'inline') joinCjkBreaks(token.children ?? []);
  });
  const softbreak = md.renderer.rules.softbreak!;
  md.renderer.rules.softbreak = (tokens, idx, options, env, self) =>
    isJoinedBreak(tokens[idx]!) ? '' : softbreak(tokens, idx, options, env, self);
}

/** A soft break between two CJK characters: a new line in the source, nothing on the page. */
export function isJoinedBreak(token: Token): boolean {
  return token.type === 'softbreak' && (token.meta as { joined?: boolean } | null)?.joined === true;
}

/** Marks the soft breaks between two CJK characters as joined (footnotes.ts calls it for notes). */
export function joinCjkBreaks(children: Token[]): void {
  for (let i = 0; i < children.length; i++) {
    if (children[i]!.type !== 'softbreak') continue;
    const before = neighbour(children, i, -1);
    const after = neighbour(children, i, +1);
    const join = before === '\u200b' || after === '\u200b' || (isWide(before) && isWide(after));
    // The break stays a break (lint and comments count lines by breaks); it only renders as nothing.
    if (join) children[i]!.meta = { ...children[i]!.meta, joined: true };
  }
}

/** The character nearest to the break on one side, skipping markup and empty text; '' if none. */
function neighbour(children: Token[], from: number, step: 1 | -1): string {
  for (let j = from + step; j >= 0 && j < children.length; j += step) {
    const child = children[j]!;
    if (isJoinedBreak(child)) continue;
    if (child.type === 'softbreak' || child.type === 'hardbreak') return '';
    if (child.type !== 'text' || child.content === '') continue;
    const chars = [...child.content];
    return (step === 1 ? chars[0] : chars[chars.length - 1])!;
  }
  return '';
}

function isWide(char: string): boolean {
  if (!char || HANGUL.test(char)) return false;
  const type = eastAsianWidthType(char.codePointAt(0)!);
  return type === 'fullwidth' || type === 'wide' || type === 'halfwidth';
}
