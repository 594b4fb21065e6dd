/**
 * `astro build` in-process (src/site/astro-config.ts): what the build is for (content folder,
 * build date) reaches the site through the integration's virtual module, so a caller passes it
 * as options, and the ASSENT_* environment, which astro.config.mjs reads, plays no part.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assentAstroConfig, type SiteOptions } from '../../src/site/astro-config.ts';
import { page } from '../helpers/build.ts';
import { contentRoot, projectRoot } from '../helpers/paths.ts';

const saved = { ...process.env };
beforeEach(() => {
  // Were the site to read these, it would fail or build the wrong thing.
  process.env.ASSENT_BUILD_DATE = 'not a date';
  process.env.ASSENT_CONTENT_DIR = '/nowhere';
});
afterEach(() => {
  process.env = { ...saved };
});

async function buildInProcess(options: SiteOptions): Promise<string> {
  const { build } = await import('astro');
  const work = mkdtempSync(join(tmpdir(), 'assent-in-process-'));
  const outDir = join(work, 'dist');
  await build({
    ...assentAstroConfig({ ...options, cacheDir: join(work, 'cache') }),
    root: projectRoot,
    configFile: false,
    outDir,
    logLevel: 'error',
  });
  return outDir;
}

describe('astro build in-process', () => {
  it('builds from the content folder and as of the day it is given as options', async () => {
    const contentDir = mkdtempSync(join(tmpdir(), 'assent-in-process-content-'));
    cpSync(contentRoot, contentDir, { recursive: true });
    const file = join(contentDir, 'besttrav-privacy-policy/2020-12-01.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: (.*)$/m, 'title: $1（副本）'));

    const outDir = await buildInProcess({ contentDir, buildDate: '2021-05-20' });
    const doc = page(outDir, 'besttrav-privacy-policy/');
    expect(doc.querySelector('h1')?.textContent).toContain('（副本）');
    expect(doc.querySelector('.banner-upcoming')?.textContent).toContain('新版本将于 2021年6月1日 生效');
  }, 120_000);

  it('refuses a build date that is no date, saying how to write one', async () => {
    await expect(buildInProcess({ buildDate: '2021-13-01' })).rejects.toThrow(
      'The build date is "2021-13-01" (ASSENT_BUILD_DATE): expected a date written YYYY-MM-DD.',
    );
  }, 60_000);
});
