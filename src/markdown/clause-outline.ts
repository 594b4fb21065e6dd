/**
 * Clause anchors: gives every numbered heading, paragraph and list item a stable id made from
 * its clause number (never from its wording, so editing a title keeps links working), and
 * records the outline that lint rules, the digest and the diff read.
 *
 *   一、【协议的范围】     → #s1          第十二条   → #art-12
 *   3.1.2 当你使用…       → #c3.1.2      (hierarchical numbers are unique on their own)
 *   1. 您向我们提供…  (in 二) → #s2-c1    numbers that restart are scoped by their parent
 *   (1) 与改善…     (in 2.)   → #s2-c2-1
 *
 * Nesting follows the marker style: a style not seen yet opens a level under the current
 * clause; a style already open closes the levels below it and becomes their sibling.
 * Unnumbered headings may name their anchor, `## Definitions {#definitions}`; otherwise they get
 * a positional one (`#h-2`) and a lint warning. Blocks without a number belong to the clause
 * before them.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import {
  isSectionStyle,
  listItemMarker,
  markerSlug,
  parseClauseMarker,
  type ClauseMarker,
} from './clause-markers.ts';
import { clauseMeta, noteClauseMeta } from './clause-meta.ts';
import { inlineText } from './inline-text.ts';
import type { LegalEnv } from './legal-env.ts';

export interface ClauseOccurrence {
  /** The id in the page; differs from `baseAnchor` only for a duplicate (`_2`). */
  anchor: string;
  baseAnchor: string;
  /** Anchor of the enclosing clause, or null at the top. */
  parent: string | null;
  /** null for an unnumbered heading. */
  marker: ClauseMarker | null;
  kind: 'heading' | 'paragraph' | 'list-item';
  /** 0-based line of the block in the Markdown body. */
  line: number;
  /** Plain text of the block's first line of content, for messages. */
  text: string;
}

interface OpenClause {
  anchor: string;
  marker: ClauseMarker | null;
  /** Heading depth for headings, Infinity for body clauses. */
  depth: number;
}

const EXPLICIT_ID = /\s*\{#([a-z][a-z0-9-]*)\}\s*$/;

export function clauseOutline(md: MarkdownIt): void {
  md.core.ruler.push('assent_clause_outline', (state: StateCore) => {
    assignAnchors(state.tokens, state.env as LegalEnv);
  });
}

function assignAnchors(tokens: Token[], env: LegalEnv): void {
  const open: OpenClause[] = [];
  const used = new Map<string, number>();
  let unnamedHeadings = 0;
  /** Bullet/ordered list openers whose items are all numbered clauses (shown without bullets). */
  const listStack: Token[] = [];
  let pendingItemMarker = false;

  const current = () => open[open.length - 1]?.anchor ?? null;

  const place = (marker: ClauseMarker, depth: number): { base: string; parent: string | null } => {
    if (isSectionStyle(marker.style)) {
      open.length = 0;
    } else if (marker.style === 'article') {
      while (open.length && !isTopLevel(open[open.length - 1]!)) open.pop();
    } else if (marker.style === 'dotted') {
      while (open.length) {
        const top = open[open.length - 1]!;
        if (isTopLevel(top) || top.marker?.style === 'article') break;
        if (top.marker?.style === 'dotted' && top.marker.path.length < marker.path.length) break;
        if (!top.marker && top.depth < depth) break;
        open.pop();
      }
    } else {
      const sibling = findLastIndex(open, (c) => c.marker?.style === marker.style);
      if (sibling >= 0) open.length = sibling;
    }
    const parentClause = open[open.length - 1];
    const global = isSectionStyle(marker.style) || marker.style === 'article' || marker.style === 'dotted';
    const underSection =
      !parentClause || (parentClause.marker !== null && isSectionStyle(parentClause.marker.style));
    const slug = markerSlug(marker, underSection);
    const base = global || !parentClause ? slug : `${parentClause.anchor}-${slug}`;
    return { base, parent: parentClause?.anchor ?? null };
  };

  const record = (
    token: Token,
    marker: ClauseMarker | null,
    base: string,
    parent: string | null,
    kind: ClauseOccurrence['kind'],
    text: string,
    depth: number,
  ) => {
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    const anchor = seen === 0 ? base : `${base}_${seen + 1}`;
    token.attrSet('id', anchor);
    if (kind !== 'heading') token.attrJoin('class', 'clause');
    noteClauseMeta(token, { anchor, clauseLabel: marker ? marker.text.replace(/[.．、]$/, '') : text });
    env.outline.push({ anchor, baseAnchor: base, parent, marker, kind, line: token.map?.[0] ?? 0, text });
    open.push({ anchor, marker, depth });
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'ordered_list_open':
        // Numbers are shown as written (`3.` then `5.`, `1)`), not renumbered by the browser.
        token.attrJoin('class', 'as-written');
        listStack.push(token);
        break;
      case 'bullet_list_open':
        listStack.push(token);
        break;
      case 'ordered_list_close':
        listStack.pop();
        break;
      case 'bullet_list_close': {
        // Bulleted items that all carry their own number, `- (1) …`, lose the bullet.
        const list = listStack.pop();
        if (list && clauseMeta(list).numberedItems && !clauseMeta(list).plainItems)
          list.attrJoin('class', 'as-written');
        break;
      }
      case 'heading_open': {
        const inline = tokens[i + 1]!;
        const depth = Number(token.tag.slice(1));
        const explicit = takeExplicitId(inline);
        const text = inlineText(inline);
        const marker = explicit ? undefined : parseClauseMarker(text);
        if (marker) {
          const { base, parent } = place(marker, depth);
          record(token, marker, base, parent, 'heading', text, depth);
        } else {
          while (open.length && open[open.length - 1]!.depth >= depth) open.pop();
          const base = explicit ?? `h-${++unnamedHeadings}`;
          if (!explicit) env.positionalHeadings.push({ line: token.map?.[0] ?? 0, text, anchor: base });
          record(token, null, base, current(), 'heading', text, depth);
        }
        env.toc.push({ depth, anchor: clauseMeta(token).anchor!, text });
        break;
      }
      case 'list_item_open': {
        const list = listStack[listStack.length - 1];
        const firstInline = tokens[i + 2]?.type === 'inline' ? tokens[i + 2]! : undefined;
        const text = firstInline ? inlineText(firstInline) : '';
        const ordered = list?.type === 'ordered_list_open';
        if (ordered) token.attrSet('value', token.info);
        const marker = ordered ? listItemMarker(token.info, token.markup) : parseClauseMarker(text);
        if (marker) {
          const { base, parent } = place(marker, Infinity);
          record(token, marker, base, parent, 'list-item', text, Infinity);
          pendingItemMarker = true;
          if (list?.type === 'bullet_list_open')
            noteClauseMeta(list, { numberedItems: (clauseMeta(list).numberedItems ?? 0) + 1 });
        } else {
          noteClauseMeta(token, { clause: current() ?? 'preamble' });
          if (list) noteClauseMeta(list, { plainItems: true });
        }
        break;
      }
      case 'list_item_close':
        pendingItemMarker = false;
        break;
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
        if (marker) {
          const { base, parent } = place(marker, Infinity);
          record(token, marker, base, parent, 'paragraph', text, Infinity);
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

function isTopLevel(clause: OpenClause): boolean {
  return clause.marker !== null && isSectionStyle(clause.marker.style);
}

function findLastIndex<T>(items: T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

/** Removes a trailing `{#id}` from a heading's text and returns the id. */
function takeExplicitId(inline: Token): string | undefined {
  const last = inline.children?.[inline.children.length - 1];
  if (!last || last.type !== 'text') return undefined;
  const match = EXPLICIT_ID.exec(last.content);
  if (!match) return undefined;
  last.content = last.content.slice(0, match.index);
  inline.content = inline.content.replace(EXPLICIT_ID, '');
  return match[1];
}
