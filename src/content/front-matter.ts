/**
 * Front matter of a document version, validated by one Zod schema. Errors name the field, the
 * line it is on, what was received and what was expected, so a legal editor can fix them
 * without reading code.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import * as z from 'zod';
import { ACCEPTANCE_MODES, DOCUMENT_KINDS } from '../contract/manifest.ts';
import { isCalendarDate } from '../contract/dates.ts';
import type { Finding } from './finding.ts';

const calendarDate = z
  .string({ error: 'a date written YYYY-MM-DD' })
  .refine(isCalendarDate, { error: 'a real date written YYYY-MM-DD' });

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** The fields, before the check across them (`effective` ≥ `published`); the site's schema extends them. */
export const frontMatterFields = z.strictObject({
    // The document's title as shown to readers, e.g. 微保服务协议.
    title: z.string({ error: 'the document title as text' }).trim().min(1, { error: 'a non-empty title' }),
    // What the document is; decides how the components treat it.
    kind: z.enum(DOCUMENT_KINDS, { error: `one of ${DOCUMENT_KINDS.join(', ')}` }),
    // BCP 47 language tag of the text: zh-CN, en, en-GB, …
    locale: z.string({ error: 'a language tag such as zh-CN or en' }).refine(isLanguageTag, {
      error: 'a valid language tag such as zh-CN or en',
    }),
    // The day the version was made public.
    published: calendarDate,
    // The day it takes effect; also the version's name and file name.
    effective: calendarDate,
    // required: users must accept it again; notice: users are told about it.
    acceptance: z.enum(ACCEPTANCE_MODES, { error: `one of ${ACCEPTANCE_MODES.join(', ')}` }),
    // What changed, in a line or a few, shown in the history and the update pop-up.
    summary: z.string({ error: 'a line or a few of text' }).trim().min(1, { error: 'a non-empty summary' }),
    // The company that publishes the document.
    operator: z.string({ error: 'the company name as text' }).trim().min(1).optional(),
});

export const frontMatterSchema = frontMatterFields.refine((fm) => fm.effective >= fm.published, {
  path: ['effective'],
  error: 'a date on or after `published`',
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface SplitSource {
  /** The YAML between the `---` lines, or undefined when there is none. */
  yaml: string | undefined;
  /** 1-based line where the YAML starts. */
  yamlLine: number;
  body: string;
  /** Number of source lines before the body, to turn body lines into file lines. */
  bodyOffset: number;
}

const FENCE = /^---[ \t]*$/;

/** Splits `---\nyaml\n---\nbody`; a file without the fences is all body. */
export function splitFrontMatter(source: string): SplitSource {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  if (!FENCE.test(lines[0] ?? '')) return { yaml: undefined, yamlLine: 1, body: lines.join('\n'), bodyOffset: 0 };
  const close = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (close < 0) return { yaml: undefined, yamlLine: 1, body: lines.join('\n'), bodyOffset: 0 };
  return {
    yaml: lines.slice(1, close).join('\n'),
    yamlLine: 2,
    body: lines.slice(close + 1).join('\n'),
    bodyOffset: close + 1,
  };
}

/** The 1-based file line of each front matter field, for findings about a field's value. */
export type FieldLines = Partial<Record<keyof FrontMatter, number>>;

export type FrontMatterResult =
  | { ok: true; data: FrontMatter; lines: FieldLines }
  | { ok: false; findings: Finding[] };

/** Parses and validates front matter, reporting every problem at once. */
export function readFrontMatter(file: string, split: SplitSource): FrontMatterResult {
  const at = (line: number, column: number, message: string): Finding => ({
    file,
    line,
    column,
    severity: 'error',
    message,
    rule: 'front-matter',
  });
  if (split.yaml === undefined) {
    return {
      ok: false,
      findings: [at(1, 1, 'no front matter: start the file with a `---` block giving title, kind, locale, published, effective, acceptance and summary')],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(split.yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      findings: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return at(split.yamlLine + pos.line - 1, pos.col, `front matter is not valid YAML: ${e.message.split('\n')[0]}`);
      }),
    };
  }
  const raw: unknown = doc.toJS();
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, findings: [at(split.yamlLine, 1, 'front matter must be a list of `field: value` lines')] };
  }
  const result = frontMatterSchema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data, lines: fieldLines(doc, lineCounter, split.yamlLine) };
  return {
    ok: false,
    findings: result.error.issues.map((issue) => {
      const field = issue.path.length ? String(issue.path[0]) : undefined;
      const where = locate(doc, lineCounter, field, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
      return at(split.yamlLine + where.line - 1, where.col, describe(issue, raw as Record<string, unknown>));
    }),
  };
}

function describe(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(frontMatterFields.shape);
    return `unknown front matter field ${issue.keys.map((k) => `\`${k}\``).join(', ')}: expected only ${known.join(', ')}`;
  }
  const field = String(issue.path[0]);
  if (!(field in raw)) return `front matter field \`${field}\` is missing: expected ${issue.message}`;
  return `front matter field \`${field}\`: received ${JSON.stringify(raw[field])}, expected ${issue.message}`;
}

function fieldLines(doc: Document, lineCounter: LineCounter, yamlLine: number): FieldLines {
  const lines: Record<string, number> = {};
  if (!isMap(doc.contents)) return lines;
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    lines[String(pair.key.value)] = yamlLine + lineCounter.linePos(pair.key.range[0]).line - 1;
  }
  return lines;
}

/** Line and column of a field's value (or key), 1-based within the YAML. */
function locate(doc: Document, lineCounter: LineCounter, field: string | undefined, key?: string): { line: number; col: number } {
  const contents = doc.contents;
  if (isMap(contents)) {
    for (const pair of contents.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (name !== undefined && (name === key || (!key && name === field))) {
        const node = !key && pair.value && typeof pair.value === 'object' && 'range' in pair.value ? pair.value : pair.key;
        const offset = (node as { range?: [number, number, number] }).range?.[0] ?? 0;
        return lineCounter.linePos(offset);
      }
    }
  }
  return { line: 1, col: 1 };
}
