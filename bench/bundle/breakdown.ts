/**
 * What the bytes of a published chunk are: its minified bytes attributed to the source module
 * they came from, through the chunk's source map (as source-map-explorer does). Each generated
 * segment's bytes, up to the next segment, go to the source its mapping names; bytes with no
 * mapping (punctuation Terser added between statements) go to `(unmapped)`. Gzip cannot be
 * split by module: the gzip column is each module's share of the chunk's gzip size, in
 * proportion to its minified bytes, an estimate to rank modules by.
 *
 *   breakdown('dist/assent/chunk-ABC.js', 4210) → [{ source: 'lit-html', min: 7100, gzip: 3050 }, …]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { TraceMap, eachMapping } from '@jridgewell/trace-mapping';

export interface ModuleBytes {
  /** A package (`lit-html`), or a project path (`components/shared/element.ts`). */
  source: string;
  min: number;
  /** Share of the chunk's gzip size, in proportion to `min`. */
  gzip: number;
}

/** Names a source path as a package (node_modules/<package>/…) or as a path in the project. */
function moduleOf(source: string | null, root: string): string {
  if (!source) return '(unmapped)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (inPackage) return inPackage[1]!;
  return relative(root, source);
}

export function breakdown(file: string, gzip: number, root: string): ModuleBytes[] {
  const code = readFileSync(file, 'utf8');
  const map = new TraceMap(readFileSync(`${file}.map`, 'utf8'), file);
  // Byte offset of each line start (the chunk is UTF-8; Chinese strings take 3 bytes a character).
  const lines = code.split('\n');
  const lineStart: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStart.push(offset);
    offset += Buffer.byteLength(line) + 1;
  }
  const byteAt = (line: number, column: number) =>
    lineStart[line]! + Buffer.byteLength(lines[line]!.slice(0, column));
  const segments: { at: number; source: string }[] = [];
  eachMapping(map, (m) =>
    segments.push({ at: byteAt(m.generatedLine - 1, m.generatedColumn), source: moduleOf(m.source, root) }),
  );
  segments.sort((a, b) => a.at - b.at);
  const total = Buffer.byteLength(code);
  const bytes = new Map<string, number>();
  const add = (source: string, n: number) => bytes.set(source, (bytes.get(source) ?? 0) + n);
  add('(unmapped)', segments[0]?.at ?? total);
  segments.forEach((s, i) => add(s.source, (segments[i + 1]?.at ?? total) - s.at));
  return [...bytes]
    .filter(([, min]) => min > 0)
    .map(([source, min]) => ({ source, min, gzip: Math.round((gzip * min) / total) }))
    .sort((a, b) => b.min - a.min);
}
