/**
 * footnote: footnotes that would not show as the editor meant (src/markdown/footnotes.ts).
 * - `[^2]` with no `[^2]: …` anywhere shows as literal `[^2]` in the page (error);
 * - a label defined twice shows only the last text (error);
 * - a definition nothing refers to is not shown at all (warning).
 * `\[^2]`, escaped on purpose, is text the editor asked for.
 */
import type { Token } from 'markdown-it';
import { inlineBlocks, type BodyRule } from './body-context.ts';

/** `[^label]` as the footnote plugin reads a reference: no spaces, no brackets in the label. */
const REFERENCE = /(?<!\\)\[\^([^\]\s]+)\]/g;

export const footnoteRule: BodyRule = (ctx) => {
  const { footnoteDefinitions } = ctx.parsed.env;
  const first = new Map<string, number>();
  for (const definition of footnoteDefinitions) {
    const line = definitionLine(ctx.lines, definition.label, definition.line);
    const earlier = first.get(definition.label);
    if (earlier !== undefined) {
      ctx.report(
        line,
        0,
        'error',
        `footnote [^${definition.label}] is already defined on line ${ctx.fileLine(earlier)}; the page would show only this text: give one of them another label`,
      );
      continue;
    }
    first.set(definition.label, line);
    if (definition.referenced === false) {
      ctx.report(
        line,
        0,
        'warning',
        `footnote [^${definition.label}] is defined but nothing refers to it, so the page leaves it out: add [^${definition.label}] where it applies, or remove the note`,
      );
    }
  }

  const defined = new Set(footnoteDefinitions.map((d) => d.label));
  for (const { block, first, last } of inlineBlocks(ctx)) {
    const literal = literalLabels(block.children ?? []);
    if (literal.size === 0) continue;
    for (let line = first; line <= last; line++) {
      for (const match of (ctx.lines[line] ?? '').matchAll(REFERENCE)) {
        const label = match[1]!;
        if (!literal.has(label) || defined.has(label)) continue;
        ctx.report(
          line,
          match.index,
          'error',
          `footnote [^${label}] has no text: add a line \`[^${label}]: …\` (anywhere, usually at the end), or write \\[^${label}] if the brackets are meant literally`,
        );
      }
    }
  }
};

/** Labels of `[^label]` left as text: the plugin found no definition for them. */
function literalLabels(children: readonly Token[]): Set<string> {
  const labels = new Set<string>();
  for (const child of children) {
    if (child.type !== 'text') continue;
    for (const match of child.content.matchAll(/\[\^([^\]\s]+)\]/g)) labels.add(match[1]!);
  }
  return labels;
}

/** The line that starts `[^label]:`, at or before the note's first text line. */
function definitionLine(lines: readonly string[], label: string, textLine: number): number {
  const start = `[^${label}]:`;
  for (let line = textLine; line >= 0 && line >= textLine - 2; line--) {
    if ((lines[line] ?? '').trimStart().startsWith(start)) return line;
  }
  return textLine;
}
