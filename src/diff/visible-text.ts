/**
 * Text as a reader sees it, split into the words the diff compares. Two texts that differ only
 * in what a reader cannot see — runs of spaces, re-wrapped lines, trailing spaces, a space next
 * to a Chinese character (re-wrapping a line turns a line break between 使用 and GitHub into a
 * space; markdown-it-cjk-breaks only removes breaks between two CJK characters), zero-width
 * characters, Unicode normalisation — have the same tokens, so the diff never reports them.
 *
 *   visibleText('We  may\nchange', 'en') === visibleText('We may change ', 'en') // true
 *   visibleText('使用 GitHub 服务', 'zh-CN') === visibleText('使用GitHub服务', 'zh-CN') // true
 */

export interface VisibleToken {
  /** What is compared: the segment in NFC without invisible characters; `' '` for a space. */
  key: string;
  /** A word or number, as opposed to punctuation or a space (`Intl.Segmenter`'s `isWordLike`). */
  wordLike: boolean;
  /**
   * Where the token is in the text, `[start, end)`. Spaces that do not count belong to the
   * token before them (at the very start, to the first token), so the tokens tile the text.
   */
  start: number;
  end: number;
}

/** Zero-width space, word joiner, byte order mark and soft hyphen: nothing a reader sees. */
const INVISIBLE = /[\u200b\u2060\ufeff\u00ad]/g;
/** Scripts written without spaces between words, and their punctuation (CJK, full-width forms). */
const SPACELESS =
  '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Bopomofo}\\u2e80-\\u2fff\\u3000-\\u303f\\uff00-\\uffef]';
const ENDS_SPACELESS = new RegExp(`${SPACELESS}$`, 'u');
const STARTS_SPACELESS = new RegExp(`^${SPACELESS}`, 'u');

const segmenters = new Map<string, Intl.Segmenter>();

/** A word segmenter for `locale`; an unknown or malformed locale falls back to the default one. */
function segmenter(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) {
    try {
      s = new Intl.Segmenter(locale, { granularity: 'word' });
    } catch {
      s = new Intl.Segmenter(undefined, { granularity: 'word' });
    }
    segmenters.set(locale, s);
  }
  return s;
}

export function visibleTokens(text: string, locale: string): VisibleToken[] {
  const tokens: VisibleToken[] = [];
  /** A run of spaces waiting to learn what follows it. */
  let blank: { start: number; end: number } | undefined;
  for (const { segment, index, isWordLike } of segmenter(locale).segment(text)) {
    const key = segment.normalize('NFC').replace(INVISIBLE, '');
    const end = index + segment.length;
    if (key === '' && segment.trim() !== '') {
      // Only invisible characters (a zero-width space): nothing to see, not even a space.
      const previous = tokens[tokens.length - 1];
      if (previous && !blank) previous.end = end;
      continue;
    }
    if (key.trim() === '') {
      blank = { start: blank?.start ?? index, end };
      continue;
    }
    const previous = tokens[tokens.length - 1];
    if (blank) {
      if (!previous) {
        // Leading spaces belong to the first token.
      } else if (ENDS_SPACELESS.test(previous.key) || STARTS_SPACELESS.test(key)) {
        previous.end = blank.end;
      } else {
        tokens.push({ key: ' ', wordLike: false, start: blank.start, end: blank.end });
      }
    }
    tokens.push({ key, wordLike: Boolean(isWordLike), start: previous ? index : 0, end });
    blank = undefined;
  }
  const last = tokens[tokens.length - 1];
  if (last) last.end = text.length;
  return tokens;
}

/** White space next to a spaceless script's character: a re-wrapped line, nothing a reader sees. */
const SPACE_BESIDE_SPACELESS = new RegExp(`\\s+(?=${SPACELESS})|(?<=${SPACELESS})\\s+`, 'gu');

/**
 * The text as a reader sees it, for comparing: equal for texts that look the same, by the same
 * rules as `visibleTokens` (spaces beside CJK dropped, runs of spaces as one, invisible
 * characters gone, NFC). Written with regular expressions rather than by segmenting words,
 * because the diff asks it of every block of both versions: segmenting them all made a
 * 200-version build spend seconds here.
 */
export function visibleText(text: string, _locale?: string): string {
  const shown = text.normalize('NFC').replace(INVISIBLE, '');
  // Most Chinese clauses hold no white space at all: nothing more to do.
  if (!/\s/.test(shown)) return shown;
  return shown.replace(SPACE_BESIDE_SPACELESS, '').replace(/\s+/g, ' ').trim();
}
