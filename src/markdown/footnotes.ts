/**
 * Footnotes as GitHub and most Markdown editors write them: `text[^1]` and, anywhere in the
 * document, `[^1]: The note.` (markdown-it-footnote parses them; `^[inline notes]` too). They
 * render as one numbered list at the end of the body.
 *
 * What this adds to the plugin's output:
 * - ids that survive editing: a note is `#fn-<label>` (`[^gdpr]` → `#fn-gdpr`), its reference
 *   `#fnref-<label>`, not the plugin's position numbers, so a link shared to a note still lands
 *   on it after a note is added above; an id already taken by a clause or heading is not reused;
 * - accessible names from the render labels (`Footnote 2`, `脚注 2`, `Back to reference 2`) on
 *   the superscript number and the back link, and a labelled region for the list;
 * - notes kept out of the clause rules (a numbered line in a note is no clause, its bold no key
 *   clause), and only notes a reader can reach: the plugin also lists a note cited only from a
 *   definition that nothing cites;
 * - `env.footnoteDefinitions` for lint (each definition, its line, whether anything cites it)
 *   and the notes' ids in `env.targets`.
 */
import type { Env, MarkdownIt, StateCore, Token } from 'markdown-it';
import footnote from 'markdown-it-footnote';
import { joinCjkBreaks } from './cjk-line-breaks.ts';
import { noteClauseMeta } from './clause-meta.ts';
import type { ClauseLabels } from './clause-rendering.ts';
import type { LegalEnv } from './legal-env.ts';

/** The plugin's own bookkeeping in `env.footnotes`: used notes in order of first reference. */
interface PluginFootnotes {
  list?: Array<{ label?: string; count?: number }>;
}

/** What the plugin puts on its tokens: the note's index, which reference to it, its label. */
interface FootnoteMeta {
  id: number;
  subId?: number;
  label?: string;
}

const metaOf = (token: Token) => token.meta as unknown as FootnoteMeta;

/** Where the notes wait while the clause rules run. */
interface Aside {
  footnoteBlock?: Token[];
}

/** The id of the k-th (0-based) reference to a note: `fnref-gdpr`, `fnref-gdpr-2`, … */
const refId = (id: string, k: number) => `fnref-${id}${k > 0 ? `-${k + 1}` : ''}`;

const ENGLISH: Required<Pick<ClauseLabels, 'footnote' | 'backToReference' | 'footnotes'>> = {
  footnote: (n) => `Footnote ${n}`,
  backToReference: (n) => `Back to reference ${n}`,
  footnotes: 'Footnotes',
};

/** Characters of a label kept in its id; the rest become `-`. */
const NOT_ID = /[^\p{L}\p{N}_-]+/gu;

export function footnotes(md: MarkdownIt): void {
  md.use(footnote);

  // Before the plugin moves definitions to the end (and drops unused ones): note where each is.
  md.core.ruler.before('footnote_tail', 'assent_footnote_definitions', (state: StateCore) => {
    const env = state.env as LegalEnv;
    env.footnoteDefinitions = [];
    state.tokens.forEach((token, i) => {
      if (token.type !== 'footnote_reference_open') return;
      const label = metaOf(token).label ?? '';
      const line = state.tokens.slice(i + 1).find((t) => t.map)?.map?.[0] ?? 0;
      env.footnoteDefinitions.push({ label, line: Math.max(0, line) });
    });
  });

  // The notes, now one block at the end, are asides: kept out of the clause rules (a numbered
  // line in a note is no clause, a note's bold no key clause) until those have run.
  md.core.ruler.after('footnote_tail', 'assent_footnotes_aside', (state: StateCore) => {
    const start = state.tokens.findIndex((t) => t.type === 'footnote_block_open');
    (state.env as LegalEnv & Aside).footnoteBlock = start < 0 ? [] : state.tokens.splice(start);
  });

  // Last: keep the notes a reader can reach, number them, give each an id no clause or heading
  // holds, and put them back.
  md.core.ruler.push('assent_footnotes_end', (state: StateCore) => {
    const env = state.env as LegalEnv & Aside;
    const block = env.footnoteBlock ?? [];
    env.footnoteBlock = [];
    const list = (env as Env & { footnotes?: PluginFootnotes }).footnotes?.list ?? [];
    const notes = noteSegments(block);

    // A note is shown when the text refers to it, or a shown note does. The plugin also lists
    // notes referred to only from a definition nothing refers to, whose number nobody sees.
    const shown = new Set<number>();
    const referred = new Set<string>();
    const visit = (tokens: readonly Token[]) => {
      for (const ref of references(tokens)) {
        referred.add(`${ref.id}:${ref.subId ?? 0}`);
        if (shown.has(ref.id)) continue;
        shown.add(ref.id);
        visit(notes.get(ref.id) ?? []);
      }
    };
    visit(state.tokens);

    const taken = new Set(env.targets);
    const order = [...shown].sort((a, b) => a - b);
    env.shownFootnotes = [];
    order.forEach((index, position) => {
      const label = list[index]?.label ?? '';
      const base = label.replace(NOT_ID, '-').replace(/^-+|-+$/g, '') || String(position + 1);
      let id = base;
      for (let n = 2; taken.has(`fn-${id}`) || taken.has(`fnref-${id}`); n++) id = `${base}_${n}`;
      taken.add(`fn-${id}`);
      env.shownFootnotes[index] = { id, number: position + 1 };
    });
    const refIds = [...referred].map((key) => {
      const [index, subId] = key.split(':').map(Number) as [number, number];
      return refId(env.shownFootnotes[index]!.id, subId);
    });
    env.targets = [...env.targets, ...order.map((i) => `fn-${env.shownFootnotes[i]!.id}`), ...refIds];
    const used = new Set(order.map((i) => list[i]?.label));
    for (const definition of env.footnoteDefinitions) definition.referenced = used.has(definition.label);

    if (order.length === 0) return;
    const kept = order.flatMap((index) =>
      (notes.get(index) ?? []).filter(
        (t) => t.type !== 'footnote_anchor' || referred.has(`${index}:${metaOf(t).subId ?? 0}`),
      ),
    );
    for (const token of kept) {
      if (token.type === 'inline') joinCjkBreaks(token.children ?? []);
      // The diff aligns a note by its id, as a clause by its anchor (clause-blocks.ts).
      if (token.type === 'footnote_open') {
        noteClauseMeta(token, { anchor: `fn-${env.shownFootnotes[metaOf(token).id]!.id}` });
      }
    }
    state.tokens.push(block[0]!, ...kept, block[block.length - 1]!);
  });

  const rules = md.renderer.rules;
  const escape = md.utils.escapeHtml;
  const shownOf = (token: Token, env?: Env) =>
    (env as Partial<LegalEnv> | undefined)?.shownFootnotes?.[metaOf(token).id] ?? {
      id: String(metaOf(token).id + 1),
      number: metaOf(token).id + 1,
    };
  const idOf = (token: Token, env?: Env) => shownOf(token, env).id;
  const refIdOf = (token: Token, env?: Env) => refId(idOf(token, env), metaOf(token).subId ?? 0);
  const labelsOf = (env?: Env) => ({ ...ENGLISH, ...(env as { labels?: ClauseLabels } | undefined)?.labels });

  rules.footnote_ref = (tokens, idx, _options, env?: Env) => {
    const token = tokens[idx]!;
    const n = String(shownOf(token, env).number);
    const name = escape(labelsOf(env).footnote(n));
    return `<sup class="footnote-ref"><a href="#fn-${escape(idOf(token, env))}" id="${escape(refIdOf(token, env))}" aria-label="${name}">${n}</a></sup>`;
  };
  rules.footnote_block_open = (_tokens, _idx, _options, env?: Env) =>
    `<hr class="footnotes-sep">\n<section class="footnotes" aria-label="${escape(labelsOf(env).footnotes)}">\n<ol class="footnotes-list">\n`;
  rules.footnote_open = (tokens, idx, _options, env?: Env) =>
    `<li id="fn-${escape(idOf(tokens[idx]!, env))}" class="footnote-item">`;
  rules.footnote_anchor = (tokens, idx, _options, env?: Env) => {
    const token = tokens[idx]!;
    const name = escape(labelsOf(env).backToReference(String(shownOf(token, env).number)));
    // U+FE0E keeps the arrow a text glyph (not an emoji) on iOS.
    return ` <a href="#${escape(refIdOf(token, env))}" class="footnote-backref" aria-label="${name}">\u21a9\uFE0E</a>`;
  };
}

/** Each note's tokens, footnote_open to footnote_close, by the plugin's note index. */
function noteSegments(block: readonly Token[]): Map<number, Token[]> {
  const notes = new Map<number, Token[]>();
  let current: Token[] | undefined;
  for (const token of block) {
    if (token.type === 'footnote_open') notes.set(metaOf(token).id, (current = []));
    current?.push(token);
    if (token.type === 'footnote_close') current = undefined;
  }
  return notes;
}

/** The footnote references among these tokens' inline children, in order. */
function references(tokens: readonly Token[]): FootnoteMeta[] {
  return tokens.flatMap((t) =>
    t.type === 'inline'
      ? (t.children ?? []).filter((c) => c.type === 'footnote_ref').map((c) => metaOf(c))
      : [],
  );
}
