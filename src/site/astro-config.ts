/**
 * The site's Astro configuration, from what a build is for: `astro.config.mjs` gives it the
 * ASSENT_* environment (`astro build`, `npm run build`), and `assent dev` runs Astro in-process
 * with it and its own options, so that nothing in the site reads the environment.
 *
 *   export default assentAstroConfig(siteOptionsFromEnv(process.env));       // astro.config.mjs
 *   await dev({ root, configFile: false, ...assentAstroConfig({ contentDir: 'drafts' }) });
 */
import type { AstroUserConfig } from 'astro';
import { assentComponents } from './integrations/components.ts';
import { assentConsole } from './integrations/console.ts';
import { assentSiteData, type SiteDataOptions } from './integrations/site-data.ts';

export interface SiteOptions extends SiteDataOptions {
  /** Astro's cache folder; tests and benchmarks give each build its own. */
  cacheDir?: string | undefined;
}

/**
 * ASSENT_CONTENT_DIR (the content folder), ASSENT_BUILD_DATE (YYYY-MM-DD: build the site as of
 * that day) and ASSENT_ASTRO_CACHE_DIR.
 */
export function siteOptionsFromEnv(env: NodeJS.ProcessEnv): SiteOptions {
  return {
    contentDir: env.ASSENT_CONTENT_DIR,
    buildDate: env.ASSENT_BUILD_DATE,
    cacheDir: env.ASSENT_ASTRO_CACHE_DIR,
  };
}

// The site is static: every page is plain HTML and CSS, built into dist/.
export function assentAstroConfig({ cacheDir, ...data }: SiteOptions = {}): AstroUserConfig {
  return {
    srcDir: './src/site',
    outDir: './dist',
    publicDir: './src/site/public',
    trailingSlash: 'always',
    build: { format: 'directory' },
    server: { host: '127.0.0.1', port: 4321 },
    devToolbar: { enabled: false },
    // Pages whose document is unchanged are copied from the last build (lib/documents.ts).
    experimental: { incrementalBuild: true },
    ...(cacheDir ? { cacheDir } : {}),
    integrations: [assentSiteData(data), assentComponents(), assentConsole()],
  };
}
