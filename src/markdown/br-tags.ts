/**
 * `<br>` in text: a line break. Legal documents exported from word processors and CMSs are full
 * of `<br>` (and its misspelling `</br>`); with raw HTML off each would show as literal text.
 * This one tag is read as what it means: a line break, rendered as `<br>`. It is a token of its
 * own (`br_tag`), not markdown-it's `hardbreak`, because lint counts source lines by breaks and
 * this one is not a new line in the file. Any other tag stays text, and lint's `raw-html` says so.
 */
import type { MarkdownIt, StateInline } from 'markdown-it';

const BR = /^<\/?br\s*\/?>/i;

export function brTags(md: MarkdownIt): void {
  md.inline.ruler.before('html_inline', 'assent_br_tag', (state: StateInline, silent: boolean) => {
    if (state.src.charCodeAt(state.pos) !== 0x3c /* < */) return false;
    const match = BR.exec(state.src.slice(state.pos, state.pos + 8));
    if (!match) return false;
    if (!silent) state.push('br_tag', 'br', 0);
    state.pos += match[0].length;
    return true;
  });
  md.renderer.rules.br_tag = () => '<br>\n';
}
