/**
 * Publishes the web components with the site: after `astro build`, bundles components/ into
 * `<outDir>/assent/` beside the manifest (assent.js, one module per element, source maps,
 * custom-elements.json and type declarations), so partners load `/assent/assent.js`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildComponents } from './build-components.ts';

export function assentComponents(): AstroIntegration {
  return {
    name: 'assent-components',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = join(fileURLToPath(dir), 'assent');
        const files = await buildComponents(outDir);
        logger.info(`components: ${files.filter((f) => f.endsWith('.js')).join(', ')} in ${outDir}`);
      },
    },
  };
}
