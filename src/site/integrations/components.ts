/**
 * Publishes the web components with the site: after `astro build`, bundles components/ into
 * `<outDir>/assent/` beside the manifest (assent.js, one module per element, source maps,
 * custom-elements.json and type declarations), so partners load `/assent/assent.js`; and writes
 * `_headers` (Netlify, Cloudflare Pages) so that static hosts serve `/assent/*` cross-origin.
 * Under `astro dev` the dev server serves the same bundles, built on first request and again
 * after a change under components/, so that the demo page reads the live manifest beside them.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildComponents, componentsDir } from './build-components.ts';
import { CROSS_ORIGIN_HEADERS, headersFile } from './headers.ts';

export function assentComponents(): AstroIntegration {
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
          if (!/^assent[\w-]*\.js(\.map)?$/.test(name)) return next();
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
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = join(fileURLToPath(dir), 'assent');
        const files = await buildComponents(outDir);
        logger.info(`components: ${files.filter((f) => f.endsWith('.js')).join(', ')} in ${outDir}`);
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
