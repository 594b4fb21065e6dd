/**
 * What a body lint rule sees: one parse of one document's Markdown, and a way to report a
 * finding at a body line that ends up at the right file line.
 */
import type { Token } from 'markdown-it';
import type { ParsedLegal } from '../markdown/pipeline.ts';
import type { Finding, Severity } from '../content/finding.ts';

export interface BodyContext {
  file: string;
  /** Body lines, LF-split. */
  lines: string[];
  parsed: ParsedLegal;
  /** `line` is 0-based in the body, `column` 0-based in characters. */
  report(line: number, column: number, severity: Severity, message: string): void;
  /** The 1-based file line of a 0-based body line, for messages that point elsewhere. */
  fileLine(line: number): number;
}

export type BodyRule = (ctx: BodyContext) => void;

export function createBodyContext(
  file: string,
  lines: string[],
  bodyOffset: number,
  parsed: ParsedLegal,
  rule: string,
  out: Finding[],
): BodyContext {
  return {
    file,
    lines,
    parsed,
    report(line, column, severity, message) {
      out.push({ file, line: line + bodyOffset + 1, column: column + 1, severity, message, rule });
    },
    fileLine: (line) => line + bodyOffset + 1,
  };
}

/** Column of `needle` on a body line, or 0 when it cannot be found there. */
export function columnOf(ctx: BodyContext, line: number, needle: string): number {
  return Math.max(0, ctx.lines[line]?.indexOf(needle) ?? 0);
}

/** A short quote of a text for messages: `“…投保人、”`. */
export function quote(text: string, from: 'start' | 'end', length = 12): string {
  const t = text.trim();
  if (t.length <= length) return `“${t}”`;
  return from === 'start' ? `“${t.slice(0, length)}…”` : `“…${t.slice(-length)}”`;
}

/**
 * Each inline block of the body with its first and last 0-based line. markdown-it gives table
 * cells no lines of their own; a cell takes its row's.
 */
export function* inlineBlocks(ctx: BodyContext): Generator<{ block: Token; first: number; last: number }> {
  let rowLine = 0;
  for (const block of ctx.parsed.tokens) {
    if (block.type === 'tr_open' && block.map) rowLine = block.map[0];
    if (block.type !== 'inline') continue;
    yield { block, first: block.map?.[0] ?? rowLine, last: block.map ? block.map[1] - 1 : rowLine };
  }
}
