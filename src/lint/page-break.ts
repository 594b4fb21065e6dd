/**
 * page-break: a paragraph that ends mid-sentence and goes on in the next one, which is what a
 * PDF page break leaves behind (`…投保人、` / `被保险人…`). The two halves render as separate
 * paragraphs, and the second is cut off from its clause number.
 *
 * A block "ends mid-sentence" when it ends in a comma, or in a letter after having had
 * sentence punctuation (titles such as `3.2 信息的存储` have none); the next block must be a
 * plain paragraph that starts with a letter.
 */
import type { Token } from 'markdown-it';
import { clauseMeta } from '../markdown/clause-meta.ts';
import { inlineText } from '../markdown/inline-text.ts';
import { quote, type BodyRule } from './body-context.ts';

const ENDS_WITH_COMMA = /[，、,]$/;
// A letter, not a digit: address blocks and dates end in numbers (`CA 94105`, `邮编：523859`).
const ENDS_WITH_LETTER = /\p{L}$/u;
/** An e-mail address or a web address opens a line of its own, not the rest of a sentence. */
const STARTS_WITH_ADDRESS = /^\S*(@|:\/\/|www\.)/;
const HAS_SENTENCE_PUNCTUATION = /[，。；,;]|\. /;
const STARTS_WITH_LETTER = /^[\p{Script=Han}\p{Ll}]/u;

export const pageBreak: BodyRule = (ctx) => {
  const tokens = ctx.parsed.tokens;
  let previous: { inline: Token; heading: boolean; level: number } | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== 'inline') continue;
    const opener = tokens[i - 1]!;
    // Table cells are no paragraphs (and markdown-it gives them no line): text after a table
    // never continues one of its cells.
    if (opener.type === 'td_open' || opener.type === 'th_open' || !token.map) {
      previous = undefined;
      continue;
    }
    const heading = opener.type === 'heading_open';
    const text = inlineText(token);
    if (previous && !previous.heading && opener.type === 'paragraph_open' && !clauseMeta(opener).anchor) {
      const before = inlineText(previous.inline).trimEnd();
      const midSentence =
        ENDS_WITH_COMMA.test(before) ||
        (ENDS_WITH_LETTER.test(before) && HAS_SENTENCE_PUNCTUATION.test(before));
      // Out of a list item into a paragraph after the list, the item may instead just lack its
      // full stop: the message names both readings.
      const leavesList = previous.level > opener.level;
      const itemFirstParagraph = tokens[i - 2]?.type === 'list_item_open';
      const next = text.trimStart();
      if (
        midSentence &&
        !itemFirstParagraph &&
        STARTS_WITH_LETTER.test(next) &&
        !STARTS_WITH_ADDRESS.test(next)
      ) {
        const end = previous.inline.map![1] - 1;
        ctx.report(
          end,
          ctx.lines[end]?.trimEnd().length ?? 0,
          'warning',
          leavesList
            ? `list item ends mid-sentence (${quote(before, 'end')}) and the paragraph after the list reads on (${quote(text, 'start')}): if it continues the item (a PDF page break), indent it under the item or join the lines; if not, end the item with its full stop`
            : `paragraph ends mid-sentence (${quote(before, 'end')}) and the next one continues it (${quote(text, 'start')}), as a PDF page break leaves it: join the two lines`,
        );
      }
    }
    previous = { inline: token, heading, level: opener.level };
  }
};
