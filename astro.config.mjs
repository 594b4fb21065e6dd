// @ts-check
import { defineConfig } from 'astro/config';
import { assentComponents } from './src/site/integrations/components.ts';
import { assentConsole } from './src/site/integrations/console.ts';

// The site is static: every page is plain HTML and CSS, built into dist/.
export default defineConfig({
  srcDir: './src/site',
  outDir: './dist',
  publicDir: './src/site/public',
  trailingSlash: 'always',
  build: { format: 'directory' },
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
  // Tests and benchmarks build into folders of their own; their caches must not collide either.
  ...(process.env.ASSENT_ASTRO_CACHE_DIR ? { cacheDir: process.env.ASSENT_ASTRO_CACHE_DIR } : {}),
  integrations: [assentComponents(), assentConsole()],
});
