/**
 * Publishes the web components with the site: after `astro build`, bundles components/ into
 * `<outDir>/assent/` beside the manifest (assent.js, one module per element, source maps,
 * custom-elements.json and type declarations), so partners load `/assent/assent.js`; and writes
 * `_headers` (Netlify, Cloudflare Pages) so that static hosts serve `/assent/*` cross-origin.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildComponents } from './build-components.ts';
import { headersFile } from './headers.ts';

export function assentComponents(): AstroIntegration {
  return {
    name: 'assent-components',
    hooks: {
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
