/**
 * Key clauses: the bold passages a reader must notice, in order, with the clause each belongs
 * to. The documents say themselves that bold marks what the reader must notice (“限制、免责条款
 * 可能以黑体加粗的形式提示你重点注意”), so the page highlights them and lists them in a digest.
 * Bold run-in labels (`**身份识别**：`) are emphasis, not key clauses (see bold-passages.ts).
 *
 * Runs after `clauseOutline`, which has put each block's clause on `token.meta`.
 */
import type { MarkdownIt, StateCore } from 'markdown-it';
import { boldPassages } from './bold-passages.ts';
import { clauseMeta } from './clause-meta.ts';
import type { LegalEnv } from './legal-env.ts';

export function keyPassages(md: MarkdownIt): void {
  md.core.ruler.after('assent_clause_outline', 'assent_key_passages', (state: StateCore) => {
    const env = state.env as LegalEnv;
    const numbers = new Map<string, string>();
    for (const clause of env.outline) if (clause.marker) numbers.set(clause.anchor, clause.label);
    let clause = 'preamble';
    let inHeading = false;
    let inFootnotes = false;
    for (const token of state.tokens) {
      // Footnotes (footnotes.ts) are references and asides, listed after the last clause: bold
      // there belongs to no clause, and the digest would send the reader to the wrong one.
      if (token.type === 'footnote_block_open') inFootnotes = true;
      if (token.type === 'footnote_block_close') inFootnotes = false;
      if (inFootnotes) continue;
      const anchor = clauseMeta(token).anchor ?? clauseMeta(token).clause;
      if (token.nesting === 1 && anchor) clause = anchor;
      if (token.type === 'heading_open') inHeading = true;
      if (token.type === 'heading_close') inHeading = false;
      // Bold in a heading is the heading's own style, not a passage to notice.
      if (token.type !== 'inline' || inHeading) continue;
      for (const passage of boldPassages(token)) {
        if (passage.label) continue;
        const number = numbers.get(clause);
        env.keyPassages.push({
          anchor: clause,
          ...(number ? { clause: number } : {}),
          text: passage.text,
          line: passage.line,
        });
      }
    }
  });
}
