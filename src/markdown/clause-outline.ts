/**
 * Clause anchors: gives every numbered heading, paragraph and list item a stable id made from
 * its clause number (never from its wording, so editing a title keeps links working), and
 * records the outline that lint rules, the digest and the diff read.
 *
 *   一、【协议的范围】     → #s1          第十二条   → #art-12
 *   3.1.2 当你使用…       → #c3.1.2      (hierarchical numbers are unique on their own)
 *   1. 您向我们提供…  (in 二) → #s2-c1    numbers that restart are scoped by their parent
 *   (1) 与改善…     (in 2.)   → #s2-c2-1
 *   ## A. Definitions        → #a         letters and Roman numerals by their letters
 *
 * What contains what:
 * - A heading closes every clause opened since the last heading of its level or above.
 * - A list item's parent is the clause its list is in: a list nested in item `2.` numbers
 *   its items under `2.`, whatever their marker style.
 * - Numbered paragraphs nest by marker style: a style not seen yet opens a level under the
 *   current clause; a style already open closes the levels below it and becomes their sibling.
 *   They never reach out of the heading or list item they are in.
 *
 * A list whose items all carry the same number (`1.` on every item, valid CommonMark and shown
 * 1, 2, 3 by every renderer) is numbered 1, 2, 3 here too; otherwise numbers stay as written.
 * Unnumbered headings may name their anchor, `## Definitions {#definitions}` (or kramdown's
 * `{: #definitions}`, at the end or on the line below); otherwise their GitHub-style text slug
 * is their anchor (`#contact-us`), and only when that cannot be used a positional one (`#h-2`,
 * with a lint warning). Blocks without a number belong to the clause before them.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import {
  isSectionStyle,
  listItemMarker,
  markerSlug,
  parseClauseMarker,
  romanReading,
  type ClauseMarker,
} from './clause-markers.ts';
import { clauseMeta, noteClauseMeta } from './clause-meta.ts';
import { isUsableSlug, noteTextSlugs } from './heading-slugs.ts';
import { inlineText } from './inline-text.ts';
import type { ClauseOccurrence, LegalEnv } from './legal-env.ts';

interface OpenClause {
  anchor: string;
  marker: ClauseMarker | null;
  /** Heading level for headings, Infinity for body clauses. */
  depth: number;
  /** Whether clauses under it take its anchor as a prefix (a lone title heading does not). */
  scopes: boolean;
}

interface OpenList {
  ordered: boolean;
  /** How many clauses were open when the list started: its items sit right above them. */
  base: number;
  /** Whether an item of this list is open now (its blocks may not reach below it). */
  inItem: boolean;
}

const EXPLICIT_ID = /\s*\{:?\s*#([A-Za-z][\w-]*)\s*\}\s*$/;

export function clauseOutline(md: MarkdownIt): void {
  md.core.ruler.push('assent_clause_outline', (state: StateCore) => {
    numberLazyLists(state.tokens);
    const explicitIds = takeExplicitIds(state.tokens);
    noteTextSlugs(state.tokens);
    assignAnchors(state.tokens, state.env as LegalEnv, explicitIds);
  });
}

function assignAnchors(tokens: Token[], env: LegalEnv, explicitIds: Map<Token, string>): void {
  const open: OpenClause[] = [];
  const lists: OpenList[] = [];
  const used = new Map<string, number>();
  const headingLevels = countHeadingLevels(tokens);
  const headingsAt = headingPositions(tokens);
  /** A line of a table of contents: the very text of a numbered heading further down. */
  const isContentsEntry = (text: string, at: number) => (headingsAt.get(squash(text)) ?? -1) > at;
  let unnamedHeadings = 0;
  /** Bullet list openers, to drop the bullets of a list whose items all carry numbers. */
  const bulletLists: Token[] = [];
  let pendingItemMarker = false;

  const current = () => open[open.length - 1]?.anchor ?? null;
  /** Closes the clauses above the first `count` (never opens any: a list's base may be gone). */
  const closeTo = (count: number) => {
    if (open.length > count) open.length = count;
  };

  /** Clauses below this index belong to an enclosing heading or list item: out of reach. */
  const floor = () => {
    let f = 0;
    for (let k = open.length - 1; k >= 0; k--) {
      if (open[k]!.depth !== Infinity) {
        f = k + 1;
        break;
      }
    }
    const list = lists[lists.length - 1];
    return list?.inItem ? Math.max(f, list.base + 1) : f;
  };

  /** Settles where a body clause goes (closing what it ends) and whether it reads as Roman. */
  const placeBody = (written: ClauseMarker): ClauseMarker => {
    const bottom = floor();
    const marker = readLetterOrRoman(written, open.slice(bottom));
    if (isSectionStyle(marker.style)) {
      closeTo(bottom);
    } else if (marker.style === 'article') {
      while (open.length > bottom && !isTopLevel(open[open.length - 1]!)) open.pop();
    } else if (marker.style === 'dotted') {
      while (open.length > bottom) {
        const top = open[open.length - 1]!;
        if (isTopLevel(top) || top.marker?.style === 'article') break;
        if (top.marker?.style === 'dotted' && top.marker.path.length < marker.path.length) break;
        open.pop();
      }
    } else {
      const sibling = findLastIndex(open, (c) => c.marker?.style === marker.style, bottom);
      if (sibling >= 0) closeTo(sibling);
    }
    return marker;
  };

  const placeHeading = (depth: number) => {
    while (open.length && open[open.length - 1]!.depth >= depth) open.pop();
  };

  const placeItem = (list: OpenList, written: ClauseMarker): ClauseMarker => {
    const previous = open.length > list.base ? open.slice(list.base, list.base + 1) : [];
    closeTo(list.base);
    return readLetterOrRoman(written, previous);
  };

  const baseAnchor = (marker: ClauseMarker): { base: string; parent: string | null } => {
    const parentClause = findLast(open, (c) => c.scopes);
    const global =
      isSectionStyle(marker.style) || ['article', 'dotted', 'code', 'section-sign'].includes(marker.style);
    const underSection =
      !parentClause || parentClause.marker === null || isSectionStyle(parentClause.marker.style);
    const slug = markerSlug(marker, underSection);
    const base = global || !parentClause ? slug : `${parentClause.anchor}-${slug}`;
    return { base, parent: parentClause?.anchor ?? null };
  };

  const record = (token: Token, clause: Omit<ClauseOccurrence, 'anchor' | 'line'>, scopes = true) => {
    const seen = used.get(clause.baseAnchor) ?? 0;
    used.set(clause.baseAnchor, seen + 1);
    const anchor = seen === 0 ? clause.baseAnchor : `${clause.baseAnchor}_${seen + 1}`;
    token.attrSet('id', anchor);
    if (clause.kind !== 'heading') token.attrJoin('class', 'clause');
    noteClauseMeta(token, { anchor, clauseLabel: clause.label });
    env.outline.push({ ...clause, anchor, line: token.map?.[0] ?? 0 });
    open.push({ anchor, marker: clause.marker, depth: clause.depth ?? Infinity, scopes });
  };

  /** Records a numbered clause where its marker places it. */
  const recordNumbered = (
    token: Token,
    marker: ClauseMarker,
    kind: ClauseOccurrence['kind'],
    text: string,
    depth?: number,
  ) => {
    const { base, parent } = baseAnchor(marker);
    record(token, { baseAnchor: base, parent, marker, label: labelOf(marker), kind, depth, text });
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'ordered_list_open':
      case 'bullet_list_open': {
        const ordered = token.type === 'ordered_list_open';
        // Numbers are shown as written (`3.` then `5.`, `1)`), not renumbered by the browser.
        if (ordered) token.attrJoin('class', 'as-written');
        else bulletLists.push(token);
        // A list that goes on with the numbering of one before it (`1.` `2.`, a paragraph,
        // then `3.`) is its sibling; any other list nests under the clause it follows.
        // A list that starts over at the same level (`(a)`… after `(a)`…(c)) is a new list
        // beside the earlier one, not nested in its last item.
        // But a list starting over under a deeper clause (`1、`, `（1）`, then `1.`) nests under it.
        const first = firstItemMarker(tokens, i);
        let sibling = first ? findLastIndex(open, (c) => c.marker?.style === first.style, floor()) : -1;
        const continues = sibling >= 0 && open[sibling]!.marker!.number + 1 === first!.number;
        if (sibling >= 0 && !continues && sibling < open.length - 1) sibling = -1;
        if (sibling >= 0 && !continues) closeTo(sibling);
        lists.push({ ordered, base: sibling >= 0 ? sibling : open.length, inItem: false });
        break;
      }
      case 'ordered_list_close':
      case 'bullet_list_close': {
        // The last item stays the current clause: unnumbered text after the list belongs to it.
        const list = lists.pop()!;
        closeTo(list.base + 1);
        if (token.type === 'bullet_list_close') {
          const opener = bulletLists.pop();
          // Bulleted items that all carry their own number, `- (1) …`, lose the bullet.
          if (opener && clauseMeta(opener).numberedItems && !clauseMeta(opener).plainItems)
            opener.attrJoin('class', 'as-written');
        }
        break;
      }
      case 'heading_open': {
        const inline = tokens[i + 1]!;
        const depth = Number(token.tag.slice(1));
        const explicit = explicitIds.get(token);
        const text = inlineText(inline);
        const marker = explicit ? undefined : parseClauseMarker(text, { heading: true });
        placeHeading(depth);
        if (marker) {
          recordNumbered(token, marker, 'heading', text, depth);
        } else {
          const slug = clauseMeta(token).textSlug;
          const base = explicit ?? (isUsableSlug(slug) ? slug : `h-${++unnamedHeadings}`);
          if (!explicit && base.startsWith('h-'))
            env.positionalHeadings.push({ line: token.map?.[0] ?? 0, depth, text, anchor: base });
          // Clauses under an unnumbered heading take its anchor as a prefix (`#account-terms-c1`),
          // except under a level-1 heading that is the only one: the document's title.
          const scopes = depth > 1 || (headingLevels.get(depth) ?? 0) > 1;
          record(
            token,
            { baseAnchor: base, parent: current(), marker: null, label: text, kind: 'heading', depth, text },
            scopes,
          );
        }
        env.toc.push({ depth, anchor: clauseMeta(token).anchor!, text });
        break;
      }
      case 'list_item_open': {
        const list = lists[lists.length - 1];
        const firstInline = tokens[i + 2]?.type === 'inline' ? tokens[i + 2]! : undefined;
        const text = firstInline ? inlineText(firstInline) : '';
        if (list?.ordered) token.attrSet('value', token.info);
        const numbered = list?.ordered ? listItemMarker(token.info, token.markup) : parseClauseMarker(text);
        const written = numbered && !isContentsEntry(text, i) ? numbered : undefined;
        if (list) {
          const marker = written ? placeItem(list, written) : undefined;
          if (!written) closeTo(list.base);
          list.inItem = true;
          if (marker) {
            recordNumbered(token, marker, 'list-item', text);
            pendingItemMarker = true;
            const opener = bulletLists[bulletLists.length - 1];
            if (!list.ordered && opener)
              noteClauseMeta(opener, { numberedItems: (clauseMeta(opener).numberedItems ?? 0) + 1 });
            break;
          }
        }
        noteClauseMeta(token, { clause: current() ?? 'preamble' });
        const opener = bulletLists[bulletLists.length - 1];
        if (list && !list.ordered && opener) noteClauseMeta(opener, { plainItems: true });
        break;
      }
      case 'list_item_close': {
        pendingItemMarker = false;
        const list = lists[lists.length - 1];
        if (list) list.inItem = false;
        break;
      }
      case 'paragraph_open': {
        if (pendingItemMarker) {
          // The first paragraph of a numbered list item: the item carries the anchor.
          pendingItemMarker = false;
          noteClauseMeta(token, { clause: current() ?? 'preamble' });
          break;
        }
        const inline = tokens[i + 1]!;
        const text = inlineText(inline);
        const marker = parseClauseMarker(text);
        const written = marker && !isContentsEntry(text, i) ? marker : undefined;
        if (written) {
          recordNumbered(token, placeBody(written), 'paragraph', text);
        } else {
          noteClauseMeta(token, { clause: current() ?? 'preamble' });
          if (!current() && !used.has('preamble')) {
            used.set('preamble', 1);
            token.attrSet('id', 'preamble');
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

/** `（1）` → `（1）`, `3.` → `3`, `一、` → `一`: the number as a reader quotes it. */
function labelOf(marker: ClauseMarker): string {
  return marker.text.replace(/[.．、]$/, '');
}

/**
 * Reads a one-letter marker `(i)`, `v.`, `X)` as a Roman numeral unless the clause before it at
 * its level is the letter just before it (`(h)` then `(i)`).
 */
function readLetterOrRoman(marker: ClauseMarker, reachable: readonly OpenClause[]): ClauseMarker {
  const roman = romanReading(marker);
  if (!roman) return marker;
  const previousLetter = findLast(reachable, (c) => c.marker?.style === marker.style);
  return previousLetter?.marker?.number === marker.number - 1 ? marker : roman;
}

/** The marker of the first item of the list that opens at `tokens[at]`, if numbered. */
function firstItemMarker(tokens: readonly Token[], at: number): ClauseMarker | undefined {
  const item = tokens[at + 1];
  if (item?.type !== 'list_item_open') return undefined;
  if (tokens[at]!.type === 'ordered_list_open') return listItemMarker(item.info, item.markup);
  const inline = tokens[at + 3];
  return inline?.type === 'inline' ? parseClauseMarker(inlineText(inline)) : undefined;
}

/** Lists that give every item the same number are numbered 1, 2, 3 (from the first number). */
function numberLazyLists(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const list = tokens[i]!;
    if (list.type !== 'ordered_list_open') continue;
    const items: Token[] = [];
    for (let j = i + 1; j < tokens.length; j++) {
      const token = tokens[j]!;
      if (token.level === list.level && token.type === 'ordered_list_close') break;
      if (token.level === list.level + 1 && token.type === 'list_item_open') items.push(token);
    }
    if (items.length < 2 || items.some((item) => item.info !== items[0]!.info)) continue;
    const start = Number(items[0]!.info);
    items.forEach((item, k) => (item.info = String(start + k)));
  }
}

/** Where the last heading with each text is (white space ignored), to recognise contents lines. */
function headingPositions(tokens: readonly Token[]): Map<string, number> {
  const at = new Map<string, number>();
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open') at.set(squash(inlineText(tokens[i + 1]!)), i);
  });
  return at;
}

function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

/** How many headings each level has, to tell a lone title from a level of sections. */
function countHeadingLevels(tokens: readonly Token[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const token of tokens) {
    if (token.type !== 'heading_open') continue;
    const depth = Number(token.tag.slice(1));
    counts.set(depth, (counts.get(depth) ?? 0) + 1);
  }
  return counts;
}

function isTopLevel(clause: OpenClause): boolean {
  return clause.marker !== null && isSectionStyle(clause.marker.style);
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean, from = 0): number {
  for (let i = items.length - 1; i >= from; i--) if (test(items[i]!)) return i;
  return -1;
}

function findLast<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  const i = findLastIndex(items, test);
  return i >= 0 ? items[i] : undefined;
}

/**
 * Takes every heading's explicit id off its text, so that neither shows nor slugs it: a
 * trailing `{#id}`, or kramdown's block attribute list on the line right after the heading
 * (`## Scope` then `{: #scope}`), which would otherwise show as a paragraph of its own.
 */
function takeExplicitIds(tokens: Token[]): Map<Token, string> {
  const ids = new Map<Token, string>();
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'heading_open') continue;
    const id = takeExplicitId(tokens[i + 1]!) ?? takeNextLineId(tokens, i);
    if (id) ids.set(tokens[i]!, id);
  }
  return ids;
}

/** kramdown's block IAL, alone on its line: `{: #id}` (other attributes are ignored). */
const NEXT_LINE_ID = /^\{:\s*#([A-Za-z][\w-]*)[^}]*\}\s*$/;

/**
 * The id of a `{: #id}` line right below the heading at `open`, removed from the paragraph it
 * starts (the whole paragraph when it is only that line).
 */
function takeNextLineId(tokens: Token[], open: number): string | undefined {
  const heading = tokens[open]!;
  const [paragraph, inline] = [tokens[open + 3], tokens[open + 4]];
  if (paragraph?.type !== 'paragraph_open' || inline?.type !== 'inline') return undefined;
  if (!heading.map || paragraph.map?.[0] !== heading.map[1]) return undefined;
  const children = inline.children ?? [];
  const breakAt = children.findIndex((c) => c.type === 'softbreak' || c.type === 'hardbreak');
  const firstLine = (breakAt < 0 ? children : children.slice(0, breakAt)).map((c) => c.content).join('');
  const match = NEXT_LINE_ID.exec(firstLine.trim());
  if (!match || children.slice(0, breakAt < 0 ? undefined : breakAt).some((c) => c.type !== 'text'))
    return undefined;
  if (breakAt < 0) {
    tokens.splice(open + 3, 3);
  } else {
    inline.children = children.slice(breakAt + 1);
    inline.content = inline.content.slice(inline.content.indexOf('\n') + 1);
    paragraph.map = [paragraph.map[0] + 1, paragraph.map[1]];
    inline.map = paragraph.map;
  }
  return match[1];
}

/** Removes a trailing `{#id}` (or `{: #id}`) from a heading's text and returns the id. */
function takeExplicitId(inline: Token): string | undefined {
  const last = inline.children?.[inline.children.length - 1];
  if (!last || last.type !== 'text') return undefined;
  const match = EXPLICIT_ID.exec(last.content);
  if (!match) return undefined;
  last.content = last.content.slice(0, match.index);
  inline.content = inline.content.replace(EXPLICIT_ID, '');
  return match[1];
}
