/**
 * Key clauses: every bold passage, in order, with the clause it belongs to. The documents say
 * themselves that bold marks what the reader must notice (“限制、免责条款可能以黑体加粗的形式
 * 提示你重点注意”), so the page highlights them and lists them in a digest.
 *
 * Runs after `clauseOutline`, which has put each block's clause on `token.meta`.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import { clauseMeta } from './clause-meta.ts';
import type { LegalEnv } from './legal-env.ts';

export function keyPassages(md: MarkdownIt): void {
  md.core.ruler.after('assent_clause_outline', 'assent_key_passages', (state: StateCore) => {
    const env = state.env as LegalEnv;
    let clause = 'preamble';
    for (const token of state.tokens) {
      const anchor = clauseMeta(token).anchor ?? clauseMeta(token).clause;
      if (token.nesting === 1 && anchor) clause = anchor;
      if (token.type === 'inline') collect(token, clause, env);
    }
  });
}

function collect(inline: Token, clause: string, env: LegalEnv): void {
  let depth = 0;
  let text = '';
  let lineOffset = 0;
  let startLine = 0;
  for (const child of inline.children ?? []) {
    if (child.type === 'softbreak' || child.type === 'hardbreak') lineOffset++;
    if (child.type === 'strong_open') {
      if (depth++ === 0) {
        text = '';
        startLine = lineOffset;
      }
    } else if (child.type === 'strong_close') {
      if (--depth === 0 && text.trim()) {
        env.keyPassages.push({ anchor: clause, text: text.trim(), line: (inline.map?.[0] ?? 0) + startLine });
      }
    } else if (depth > 0) {
      if (child.type === 'text' || child.type === 'code_inline') text += child.content;
      else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
    }
  }
}
