/**
 * Clause numbers as legal editors write them, read from the start of a block's text.
 *
 *   parseClauseMarker('3.1.2 当你使用微保服务时')  → { style: 'dotted', path: [3, 1, 2], … }
 *   parseClauseMarker('（1）你受到病毒…')          → { style: 'paren', number: 1, brackets: 'full', … }
 *   parseClauseMarker('十二、【其他】')             → { style: 'section', number: 12, … }
 *
 * The style decides nesting (a new style opens a deeper level, a known style is a sibling);
 * the number decides the anchor. Full- and half-width brackets are one style, so that a list
 * mixing `（1）` and `(3)` stays one list (the lint rule `bracket-width` reports the mix).
 */

export type MarkerStyle =
  /** `一、` */
  | 'section'
  /** `第三章` */
  | 'chapter'
  /** `第十二条` */
  | 'article'
  /** `3.1.2` */
  | 'dotted'
  /** `1.` `1、` `1．` */
  | 'decimal'
  /** `1)` `1）` */
  | 'decimal-paren'
  /** `(1)` `（1）` */
  | 'paren'
  /** `(一)` `（一）` */
  | 'paren-cn'
  /** `(a)` `（a）` */
  | 'paren-letter'
  /** `a)` `a.` */
  | 'letter'
  /** `(A)` `（A）` */
  | 'paren-upper'
  /** `A.` `A)` */
  | 'upper'
  /** `(ii)` `（iv）`: lowercase Roman numerals, as English agreements number sub-clauses */
  | 'paren-roman'
  /** `ii.` `iv)` */
  | 'roman'
  /** `II.` `IV)` */
  | 'upper-roman'
  /** `A1-2.` `S3.1`: a section code of letters and numbers, unique on its own like `3.1.2` */
  | 'code'
  /** `§ 4`, `Section 4.`, `Clause 4:`: a numbered section of an English agreement */
  | 'section-sign';

export interface ClauseMarker {
  style: MarkerStyle;
  /** The marker exactly as written, without the space after it: `（1）`, `3.1.2`, `一、`. */
  text: string;
  /** Ordinal at its own level: `(3)` → 3, `c)` → 3, `3.1.2` → 2. */
  number: number;
  /** Every component of a dotted number: `3.1.2` → [3, 1, 2]; `[number]` otherwise. */
  path: number[];
  /** The bracket characters used, for markers that have them. */
  brackets?: 'full' | 'half' | 'mixed';
}

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const CN_NUMERAL = '[零〇一二两三四五六七八九十百千]+';

/** Chinese numerals as used in clause numbers: `chineseNumber('二十三')` → 23. */
export function chineseNumber(numeral: string): number | undefined {
  let total = 0;
  let digit = 0;
  for (const ch of numeral) {
    if (ch in CN_DIGITS) {
      digit = CN_DIGITS[ch]!;
    } else if (ch in CN_UNITS) {
      total += (digit || 1) * CN_UNITS[ch]!;
      digit = 0;
    } else {
      return undefined;
    }
  }
  return total + digit || undefined;
}

function bracketWidth(open: string, close: string): ClauseMarker['brackets'] {
  const full = (c: string) => c === '（' || c === '）';
  if (full(open) && full(close)) return 'full';
  if (!full(open) && !full(close)) return 'half';
  return 'mixed';
}

// Order matters: the dotted form must be tried before the single decimal.
const PATTERNS: Array<{ re: RegExp; read: (m: RegExpExecArray) => Omit<ClauseMarker, 'text'> | undefined }> =
  [
    {
      re: new RegExp(`^(${CN_NUMERAL})、`),
      read: (m) => cn('section', m[1]!),
    },
    {
      re: new RegExp(`^第(${CN_NUMERAL}|\\d+)章`),
      read: (m) => cn('chapter', m[1]!),
    },
    {
      re: new RegExp(`^第(${CN_NUMERAL}|\\d+)条`),
      read: (m) => cn('article', m[1]!),
    },
    {
      // `3.1` or `3.1.2`, then a space, a non-ASCII letter or the end: never `3.14%`.
      re: /^(\d{1,3}(?:\.\d{1,3})+)\.?(?=\s|[^\x00-\x7F]|$)/,
      read: (m) => {
        const path = m[1]!.split('.').map(Number);
        return { style: 'dotted', number: path[path.length - 1]!, path };
      },
    },
    {
      re: /^([A-Z]{1,3}\d{1,3}(?:[-.]\d{1,3})+|[A-Z]{1,3}\d{1,3}(?=\.))\.?(?=\s|$)/,
      read: (m) => {
        const numbers = m[1]!.match(/\d+/g)!.map(Number);
        return { style: 'code', number: numbers[numbers.length - 1]!, path: numbers };
      },
    },
    {
      re: /^(\d{1,3})[.．、](?=\s|[^\d\x00-\x7F]|$)/,
      read: (m) => single('decimal', Number(m[1])),
    },
    {
      re: /^(\d{1,3})[)）]/,
      read: (m) => ({
        ...single('decimal-paren', Number(m[1])),
        brackets: m[0].endsWith('）') ? 'full' : 'half',
      }),
    },
    {
      re: /^([(（])(\d{1,3})([)）])/,
      read: (m) => ({ ...single('paren', Number(m[2])), brackets: bracketWidth(m[1]!, m[3]!) }),
    },
    {
      re: new RegExp(`^([(（])(${CN_NUMERAL})([)）])`),
      read: (m) => {
        const marker = cn('paren-cn', m[2]!);
        return marker && { ...marker, brackets: bracketWidth(m[1]!, m[3]!) };
      },
    },
    {
      re: /^([(（])([a-z])([)）])/,
      read: (m) => ({ ...single('paren-letter', letterNumber(m[2]!)), brackets: bracketWidth(m[1]!, m[3]!) }),
    },
    {
      // Two or more Roman digits; a single `i`, `v` or `x` is read as a letter here and may be
      // re-read as a Roman numeral in context (see `romanReading`).
      re: /^([(（])([ivxl]{2,7})([)）])/,
      read: (m) => {
        const number = romanNumber(m[2]!);
        return number
          ? { ...single('paren-roman', number), brackets: bracketWidth(m[1]!, m[3]!) }
          : undefined;
      },
    },
    {
      re: /^([(（])([A-Z])([)）])/,
      read: (m) => ({ ...single('paren-upper', letterNumber(m[2]!)), brackets: bracketWidth(m[1]!, m[3]!) }),
    },
    {
      re: /^([a-z])[)）.](?=\s|[^\x00-\x7F])/,
      read: (m) => single('letter', letterNumber(m[1]!)),
    },
    {
      re: /^([ivxl]{2,7})[)）.](?=\s|[^\x00-\x7F])/,
      read: (m) => {
        const number = romanNumber(m[1]!);
        return number ? single('roman', number) : undefined;
      },
    },
    {
      re: /^([IVXL]{2,7})[)）.](?=\s|[^\x00-\x7F])/,
      read: (m) => {
        const number = romanNumber(m[1]!);
        return number ? single('upper-roman', number) : undefined;
      },
    },
    {
      re: /^([A-Z])[)）.](?=\s|[^\x00-\x7F])/,
      read: (m) => single('upper', letterNumber(m[1]!)),
    },
  ];

function single(style: MarkerStyle, number: number): Omit<ClauseMarker, 'text'> {
  return { style, number, path: [number] };
}

function cn(style: MarkerStyle, numeral: string): Omit<ClauseMarker, 'text'> | undefined {
  const number = /^\d+$/.test(numeral) ? Number(numeral) : chineseNumber(numeral);
  return number === undefined ? undefined : single(style, number);
}

function letterNumber(letter: string): number {
  return letter.toLowerCase().charCodeAt(0) - 'a'.charCodeAt(0) + 1;
}

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50 };

/** `romanNumber('xiv')` → 14; undefined for what is not a well-formed numeral (`iiv`). */
export function romanNumber(numeral: string): number | undefined {
  const digits = [...numeral.toLowerCase()].map((c) => ROMAN[c]);
  if (digits.some((d) => d === undefined)) return undefined;
  let total = 0;
  digits.forEach((d, i) => (total += d! < (digits[i + 1] ?? 0) ? -d! : d!));
  return toRoman(total) === numeral.toLowerCase() ? total : undefined;
}

function toRoman(n: number): string {
  const table: Array<[number, string]> = [
    [50, 'l'],
    [40, 'xl'],
    [10, 'x'],
    [9, 'ix'],
    [5, 'v'],
    [4, 'iv'],
    [1, 'i'],
  ];
  let out = '';
  for (const [value, numeral] of table) for (; n >= value; n -= value) out += numeral;
  return out;
}

const LETTER_STYLES: Partial<Record<MarkerStyle, MarkerStyle>> = {
  'paren-letter': 'paren-roman',
  letter: 'roman',
  upper: 'upper-roman',
};

/**
 * A single `i`, `v`, `x` or `l` is a letter after `h`, `u`, `w` or `k`, and a Roman numeral
 * otherwise: `(h)` `(i)` are letters, `(a) … (i) (ii)` nests numerals under a letter. Returns the
 * Roman reading of a one-letter marker, or undefined when it has none.
 */
export function romanReading(marker: ClauseMarker): ClauseMarker | undefined {
  const style = LETTER_STYLES[marker.style];
  const letter = /[ivxlIVXL]/.exec(marker.text)?.[0];
  if (!style || !letter || [...marker.text.replace(/[^A-Za-z]/g, '')].length !== 1) return undefined;
  const number = ROMAN[letter.toLowerCase()]!;
  return { ...marker, style, number, path: [number] };
}

/**
 * English agreements name their parts: `Article 3`, `ARTICLE IV.`, `Section 4.`, `§ 4`,
 * `Clause 5:`. In a paragraph the number must be followed by `.`, `:` or a dash, so that a
 * sentence such as `Section 4 of this policy applies` is not read as a clause; a heading may
 * stop after the number.
 */
const NAMED_PART =
  /^(article|section|clause|§)\s*(\d{1,3}(?:\.\d{1,3})*|[ivxlIVXL]{1,7})(?=[.:：]|\s+[—–-]|\s*$)[.:：]?/i;
const NAMED_PART_IN_HEADING =
  /^(article|section|clause|§)\s*(\d{1,3}(?:\.\d{1,3})*|[ivxlIVXL]{1,7})(?=[\s.:：]|$)[.:：]?/i;
/** A heading may give a bare number: `## 1 Accepting These Terms`. */
const BARE_NUMBER_IN_HEADING = /^(\d{1,3})(?=\s+\S)/;

/** The clause marker at the start of `text`, or undefined when the block is not numbered. */
/** What a clause number can start with; anything else is plain text, known at once. */
const MAY_START = /^[\d(（第§零〇一二两三四五六七八九十百千A-Za-z]/;

export function parseClauseMarker(
  text: string,
  context: { heading?: boolean } = {},
): ClauseMarker | undefined {
  if (!MAY_START.test(text)) return undefined;
  for (const { re, read } of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const marker = read(m);
    if (marker) return { ...marker, text: m[0] };
  }
  const named = (context.heading ? NAMED_PART_IN_HEADING : NAMED_PART).exec(text);
  if (named) {
    const word = named[1]!.toLowerCase();
    const written = named[2]!;
    const roman = /^[ivxl]+$/i.test(written) ? romanNumber(written) : undefined;
    if (/^[ivxl]+$/i.test(written) && roman === undefined) return undefined;
    const path = roman !== undefined ? [roman] : written.split('.').map(Number);
    const style: MarkerStyle = word === 'article' ? 'article' : path.length > 1 ? 'dotted' : 'section-sign';
    return { style, number: path[path.length - 1]!, path, text: named[0].trim() };
  }
  if (context.heading) {
    const bare = BARE_NUMBER_IN_HEADING.exec(text);
    if (bare) return { ...single('decimal', Number(bare[1])), text: bare[0] };
  }
  return undefined;
}

/** The marker of an ordered-list item, from markdown-it's number and delimiter (`3` and `.`). */
export function listItemMarker(number: string, delimiter: string): ClauseMarker {
  const n = Number(number);
  return delimiter === ')'
    ? { style: 'decimal-paren', number: n, path: [n], text: `${number})`, brackets: 'half' }
    : { style: 'decimal', number: n, path: [n], text: `${number}.` };
}

/** Styles that stand at the top of a document and reset everything below them. */
export function isSectionStyle(style: MarkerStyle): boolean {
  return style === 'section' || style === 'chapter';
}

/** The part of an anchor a marker contributes: `s3`, `art-12`, `c3.1.2`, `2`, `a`. */
export function markerSlug(marker: ClauseMarker, underSection: boolean): string {
  switch (marker.style) {
    case 'section':
      return `s${marker.number}`;
    case 'chapter':
      return `ch${marker.number}`;
    case 'article':
      return `art-${marker.number}`;
    case 'section-sign':
      return `sec-${marker.number}`;
    case 'dotted':
      return `c${marker.path.join('.')}`;
    case 'code':
      return marker.text.replace(/\.$/, '').toLowerCase();
    case 'paren-letter':
    case 'letter':
    case 'paren-upper':
    case 'upper':
      return String.fromCharCode('a'.charCodeAt(0) + marker.number - 1);
    case 'paren-roman':
    case 'roman':
    case 'upper-roman':
      return toRoman(marker.number);
    default:
      return underSection ? `c${marker.number}` : String(marker.number);
  }
}
