/**
 * Export formats for operators and auditors. NDJSON is the evidence: one record per line in
 * canonical JSON, from which anyone can recompute each hash (hash = SHA-256 of the line's
 * canonical JSON without "hash") and follow the chain. CSV is a flat view for spreadsheets.
 */
import type { StoredRecord } from '../contract/record.ts';
import { canonicalJson, type JsonValue } from './canonical-json.ts';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;

/** Characters gathered before a chunk is written: few writes, little memory. */
const CHUNK_SIZE = 64 * 1024;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const COLUMNS: Array<[string, (r: StoredRecord) => string | number | boolean | null]> = [
  ['seq', (r) => r.seq],
  ['id', (r) => r.id],
  ['type', (r) => r.type],
  ['server_time', (r) => r.serverTime],
  ['client_time', (r) => r.clientTime],
  ['subject_kind', (r) => r.subject.kind],
  ['subject_hash', (r) => r.subject.hash],
  ['subject_key_version', (r) => r.subject.keyVersion],
  ['document', (r) => r.document?.slug ?? null],
  ['version', (r) => r.document?.version ?? null],
  ['content_hash', (r) => r.document?.contentHash ?? null],
  ['cookies_revision', (r) => r.cookies?.revision ?? null],
  [
    'choices',
    (r) =>
      r.choices
        ? Object.entries(r.choices)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')
        : null,
  ],
  ['component', (r) => `${r.shown.component}@${r.shown.componentVersion}`],
  ['locale', (r) => r.shown.locale],
  ['button_text', (r) => r.shown.buttonText],
  ['checkbox_preticked', (r) => r.shown.checkboxPreticked],
  ['page', (r) => `${r.shown.pageOrigin}${r.shown.pagePath}`],
  ['ip', (r) => r.ip],
  ['browser', (r) => r.browser],
  ['prev_hash', (r) => r.prevHash],
  ['hash', (r) => r.hash],
];

export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? `${COLUMNS.map(([name]) => name).join(',')}\r\n` : '';
}

export function exportLine(format: ExportFormat, record: StoredRecord): string {
  if (format === 'ndjson') return `${canonicalJson(record as unknown as JsonValue)}\n`;
  return `${COLUMNS.map(([, value]) => csvField(value(record))).join(',')}\r\n`;
}

/**
 * RFC 4180 quoting. Text a client sent that starts like a formula (`=`, `+`, `-`, `@`) is
 * prefixed with `'`, so a spreadsheet shows it instead of running it; NDJSON keeps it as sent.
 */
function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * `{"<name>":[…]}` as a stream of text chunks, each item serialised by `serialize` (the route's
 * compiled schema), so that a long answer never sits whole in memory.
 */
export async function* jsonArrayChunks<T>(
  name: string,
  items: AsyncIterable<T>,
  serialize: (item: T) => string,
): AsyncIterable<string> {
  let chunk = `{${JSON.stringify(name)}:[`;
  let first = true;
  for await (const item of items) {
    chunk += first ? serialize(item) : `,${serialize(item)}`;
    first = false;
    if (chunk.length > CHUNK_SIZE) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]}`;
}

/** The whole export as a stream of text chunks, a page of records at a time. */
export async function* exportChunks(
  format: ExportFormat,
  records: AsyncIterable<StoredRecord>,
): AsyncIterable<string> {
  yield exportHeader(format);
  let chunk = '';
  for await (const record of records) {
    chunk += exportLine(format, record);
    if (chunk.length > CHUNK_SIZE) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
