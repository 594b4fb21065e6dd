/**
 * Publishes the operator console with the site: after `astro build`, bundles src/console/ into
 * `<outDir>/console/`, which the endpoint serves at /console/ (its `consoleDir`).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildConsole } from './build-console.ts';

export function assentConsole(): AstroIntegration {
  return {
    name: 'assent-console',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = join(fileURLToPath(dir), 'console');
        const { files } = await buildConsole(outDir);
        logger.info(`operator console: ${files.filter((f) => !f.endsWith('.map')).join(', ')} in ${outDir}`);
      },
    },
  };
}
