/**
 * Publishes the web components with the site: after `astro build`, bundles components/ into
 * `<outDir>/assent/` beside the manifest (assent.js, one module per element, source maps,
 * custom-elements.json and type declarations), so partners load `/assent/assent.js`; and writes
 * `_headers` (Netlify, Cloudflare Pages) so that static hosts serve `/assent/*` cross-origin.
 * Under `astro dev` the dev server serves the same bundles, built on first request and again
 * after a change under components/, so that the demo page reads the live manifest beside them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildComponents, componentsDir } from './build-components.ts';
import { CROSS_ORIGIN_HEADERS, headersFile } from './headers.ts';

export function assentComponents(): AstroIntegration {
  let cacheDir: string | undefined;
  return {
    name: 'assent-components',
    hooks: {
      'astro:server:setup': ({ server, logger }) => {
        const outDir = mkdtempSync(join(tmpdir(), 'assent-dev-components-'));
        let built: Promise<string[]> | undefined;
        let lastChange = Date.now();
        server.watcher.on('all', (_event, path) => {
          lastChange = Date.now();
          if (path.startsWith(componentsDir)) built = undefined;
        });
        server.httpServer?.once('close', () => rmSync(outDir, { recursive: true, force: true }));
        server.middlewares.use((request, response, next) => {
          const path = new URL(request.url ?? '/', 'http://x').pathname;
          if (!path.startsWith('/assent/')) return next();
          // The manifest and the bundles are read from partners' pages, on other origins.
          for (const [name, value] of Object.entries(CROSS_ORIGIN_HEADERS)) response.setHeader(name, value);
          if (
            path === '/assent/manifest.json' &&
            unchangedManifest(request.headers['if-none-match'], lastChange)
          ) {
            response.statusCode = 304;
            return response.end();
          }
          if (path === '/assent/manifest.json') response.setHeader('etag', `"${lastChange}-${Date.now()}"`);
          const name = basename(path);
          // The entries and the chunks they load (shared, on-demand); only what the build wrote is served.
          if (!/^[\w-]+\.js(\.map)?$/.test(name)) return next();
          built ??= buildComponents(outDir, { metadata: false });
          built
            .then(async (files) => {
              if (!files.includes(name)) return next();
              response.setHeader(
                'content-type',
                `${name.endsWith('.map') ? 'application/json' : 'text/javascript'}; charset=utf-8`,
              );
              response.setHeader('cache-control', 'no-cache');
              response.end(await readFile(join(outDir, name)));
            })
            .catch((error: unknown) => {
              built = undefined;
              logger.error(`components: ${(error as Error).message}`);
              next(error);
            });
        });
      },
      'astro:config:done': ({ config }) => {
        cacheDir = fileURLToPath(config.cacheDir);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = join(fileURLToPath(dir), 'assent');
        const { files, cached } = await componentsFromCache(outDir, cacheDir);
        logger.info(
          `components: ${files.filter((f) => f.endsWith('.js')).join(', ')} in ${outDir}${cached ? ' (unchanged since the last build)' : ''}`,
        );
        // A site's own public/_headers is kept; Assent's rule is added after it (once).
        const headers = join(fileURLToPath(dir), '_headers');
        const own = existsSync(headers) ? readFileSync(headers, 'utf8') : '';
        if (!own.includes(headersFile()))
          writeFileSync(headers, own.trim() ? `${own.trimEnd()}\n\n${headersFile()}` : headersFile());
      },
    },
  };
}

/**
 * The record endpoint polls the dev server's manifest twice a second, and Astro logs every
 * request it renders. So the dev server answers a poll with 304 itself, unrendered and
 * unlogged, when nothing changed since the manifest the poller has, and that one was made at
 * least SETTLE_MS after the last change (the content layer takes a moment to reload after a
 * save; a manifest made sooner may predate it). ETag: `"<last change>-<made at>"`, in ms.
 */
const SETTLE_MS = 2000;

function unchangedManifest(ifNoneMatch: string | undefined, lastChange: number): boolean {
  const tag = /^"(\d+)-(\d+)"$/.exec(ifNoneMatch ?? '');
  return tag !== null && Number(tag[1]) === lastChange && Number(tag[2]) - lastChange >= SETTLE_MS;
}

/**
 * The bundles, as built last time when nothing they are made of changed: bundling and the
 * type declarations (tsc) take seconds, as long as rendering every page of a 200-version site
 * again. Kept in Astro's cache folder (`astro build --force` does not clear it; the key does).
 */
async function componentsFromCache(
  outDir: string,
  cacheDir: string | undefined,
): Promise<{ files: string[]; cached: boolean }> {
  if (!cacheDir) return { files: await buildComponents(outDir), cached: false };
  const saved = join(cacheDir, 'assent-components', await componentsDigest());
  const cached = existsSync(join(saved, 'files.json'));
  if (!cached) {
    // Built beside the cache, then copied: outDir/assent also holds the manifest.
    await rm(join(saved, '..'), { recursive: true, force: true });
    const files = await buildComponents(join(saved, 'files'));
    writeFileSync(join(saved, 'files.json'), JSON.stringify(files));
  }
  await cp(join(saved, 'files'), outDir, { recursive: true });
  return { files: JSON.parse(readFileSync(join(saved, 'files.json'), 'utf8')) as string[], cached };
}

/** What the bundles are made of: the components, the code that builds and caches them, the dependencies. */
async function componentsDigest(): Promise<string> {
  const root = join(componentsDir, '..');
  const sources = (await readdir(componentsDir, { recursive: true }))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join('components', name));
  const files = [
    ...sources,
    'src/site/integrations/build-components.ts',
    'src/site/integrations/components.ts',
    'src/site/integrations/custom-elements-manifest.config.mjs',
    'src/site/integrations/tsconfig.components-types.json',
    'package-lock.json',
    'tsconfig.json',
  ];
  const hash = createHash('sha256');
  for (const file of files.sort())
    hash
      .update(file)
      .update('\0')
      .update(await readFile(join(root, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 32);
}
