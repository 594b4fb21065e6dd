/**
 * Incremental builds end to end: a second `astro build` with the first one's cache renders
 * again only the pages of the document that changed (Astro's experimental incrementalBuild,
 * keyed by lib/documents.ts), copies the others, and reuses the component bundles; a new
 * build date renders again what it changes.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { astroBuild } from '../../src/site/astro-build.ts';
import { contentRoot } from '../helpers/paths.ts';

const work = mkdtempSync(join(tmpdir(), 'assent-incremental-'));
const content = join(work, 'content');
const agreement = join(content, 'weisure-service-agreement/2018-06-01.md');

async function build(name: string, buildDate: string): Promise<{ outDir: string; output: string }> {
  const outDir = join(work, name);
  const env = {
    ASSENT_CONTENT_DIR: content,
    ASSENT_BUILD_DATE: buildDate,
    ASSENT_ASTRO_CACHE_DIR: join(work, 'cache'),
  };
  const { code, output } = await astroBuild({ outDir, env });
  expect(code, output).toBe(0);
  return { outDir, output };
}

const file = (outDir: string, path: string) => readFileSync(join(outDir, path), 'utf8');
const privacyPages = [
  'besttrav-privacy-policy/index.html',
  'besttrav-privacy-policy/2020-12-01/index.html',
  'besttrav-privacy-policy/2021-06-01/index.html',
  'besttrav-privacy-policy/versions/index.html',
  'besttrav-privacy-policy/changes/2020-12-01...2021-06-01/index.html',
];

describe('a second build after one document changed', () => {
  let first: { outDir: string; output: string };
  let second: { outDir: string; output: string };
  beforeAll(async () => {
    cpSync(contentRoot, content, { recursive: true });
    first = await build('first', '2021-05-20');
    writeFileSync(agreement, readFileSync(agreement, 'utf8').replace('微保', '微保（增量）'));
    second = await build('second', '2021-05-20');
  }, 180_000);

  it('renders the changed document again', () => {
    expect(file(second.outDir, 'weisure-service-agreement/2018-06-01/index.html')).toContain('微保（增量）');
    expect(file(second.outDir, 'assent/manifest.json')).toContain('微保（增量）');
    expect(second.output).not.toMatch(/weisure-service-agreement\/[^\n]*\((restored|cached)\)/);
  });

  it('copies the pages of the unchanged document from the last build, as they were', () => {
    for (const page of privacyPages) expect(file(second.outDir, page)).toBe(file(first.outDir, page));
    expect(second.output.match(/\((restored|cached)\)/g)).toHaveLength(privacyPages.length);
  });

  it('reuses the component bundles while the components are unchanged', () => {
    expect(second.output).toContain('(unchanged since the last build)');
    expect(file(second.outDir, 'assent/assent.js')).toBe(file(first.outDir, 'assent/assent.js'));
  });

  it('renders again the pages a new build date changes', async () => {
    const later = await build('later', '2021-06-01');
    // On 2021-05-20 the new privacy policy was announced; on 2021-06-01 it is in effect.
    expect(file(first.outDir, 'besttrav-privacy-policy/index.html')).toContain('banner-upcoming');
    expect(file(later.outDir, 'besttrav-privacy-policy/index.html')).not.toContain('banner-upcoming');
    expect(later.output).not.toMatch(/\((restored|cached)\)/);
  }, 120_000);
});
