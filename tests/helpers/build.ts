import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { astroBuild, type AstroBuildResult } from '../../src/site/astro-build.ts';

export interface BuildResult extends AstroBuildResult {
  outDir: string;
}

/** Runs `astro build` into a fresh folder, as of `buildDate`, from `contentDir` (default content/). */
export async function buildSite(options: { buildDate: string; contentDir?: string }): Promise<BuildResult> {
  const outDir = mkdtempSync(join(tmpdir(), 'assent-dist-'));
  // A cache of its own: builds running side by side must not copy each other's pages.
  const env = {
    ASSENT_BUILD_DATE: options.buildDate,
    ASSENT_CONTENT_DIR: options.contentDir,
    ASSENT_ASTRO_CACHE_DIR: mkdtempSync(join(tmpdir(), 'assent-cache-')),
  };
  return { ...(await astroBuild({ outDir, env })), outDir };
}

/** A built page as a DOM. */
export function page(outDir: string, path: string): Document {
  const file = join(outDir, path, path.endsWith('.json') ? '' : 'index.html');
  return parseHTML(readFileSync(file, 'utf8')).document;
}
