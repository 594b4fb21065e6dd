/**
 * Incremental builds (src/site/render-library.ts with a cache, as the loader gives it): what an
 * earlier build made of a version is reused while its file, the code and the version before it
 * are unchanged, and never once any of them changed.
 */
import { describe, expect, it } from 'vitest';
import { parseVersionSource } from '../../../src/content/document-file.ts';
import { assembleLibrary } from '../../../src/content/library.ts';
import { renderLibrary, type CachedVersion, type RenderedLibrary } from '../../../src/site/render-library.ts';
import { frontMatter, validFrontMatter } from '../../helpers/content.ts';

const version = (published: string, effective: string, body: string) =>
  `${frontMatter({ ...validFrontMatter, published, effective })}${body}`;
const labels = () => ({ linkToClause: (n: string) => `Link to ${n}` });

const bodies = [
  '1. 我们收集姓名。\n',
  '1. 我们收集姓名和电话。\n',
  '1. 我们收集姓名、电话和地址。\n',
  '1. 只收集电话。\n',
];
const dates = ['2024-01-15', '2024-03-01', '2024-05-01', '2024-07-01'];

function library(edit: Record<number, string> = {}) {
  return assembleLibrary(
    dates.map((date, i) =>
      parseVersionSource(`content/terms/${date}.md`, version(date, date, edit[i] ?? bodies[i]!)),
    ),
  );
}

/** What a store and meta store keep between builds, as the loader keeps them. */
function buildWith(previous: RenderedLibrary | undefined, lib = library(), codeDigest = 'code-1') {
  const saved = new Map(previous?.versions.map((v) => [v.id, v]) ?? []);
  const stored = new Set(previous ? [...previous.kept, ...previous.entries.map((e) => e.id)] : []);
  return renderLibrary(lib, {
    buildDate: '2030-01-01',
    labels,
    cache: {
      codeDigest,
      get: (id, digest): CachedVersion | undefined =>
        saved.get(id)?.digest === digest
          ? { findings: saved.get(id)!.findings, stored: stored.has(id) }
          : undefined,
    },
  });
}

describe('incremental builds', () => {
  it('render nothing again when nothing changed', () => {
    const first = buildWith(undefined);
    expect(first.entries).toHaveLength(4);
    const second = buildWith(first);
    expect(second.entries).toEqual([]);
    expect(second.kept).toEqual(first.entries.map((e) => e.id));
  });

  it('render again the edited version and the one after it (its changes page), nothing else', () => {
    const first = buildWith(undefined);
    const second = buildWith(first, library({ 1: '1. 我们收集姓名和手机号码。\n' }));
    expect(second.entries.map((e) => e.id)).toEqual(['terms/2024-03-01', 'terms/2024-05-01']);
    expect(second.entries[0]!.html).toContain('手机号码');
    // The version after it is diffed against the edited text, parsed again for that.
    const parts = JSON.stringify(second.entries[1]!.data.changes);
    expect(parts).toContain('手机号码');
    expect(second.kept).toEqual(['terms/2024-01-15', 'terms/2024-07-01']);
  });

  it('render everything again when the code changed', () => {
    const first = buildWith(undefined);
    expect(buildWith(first, library(), 'code-2').entries).toHaveLength(4);
  });

  it('keep reporting the findings of versions they did not lint again', () => {
    const broken = library({ 2: '1. 我们收集**姓名。\n' });
    const first = buildWith(undefined, broken);
    const second = buildWith(first, broken);
    expect(second.entries).toEqual([]);
    expect(second.findings.map((f) => f.rule)).toEqual(first.findings.map((f) => f.rule));
    expect(second.findings.map((f) => f.rule)).toContain('bold-balance');
  });
});
