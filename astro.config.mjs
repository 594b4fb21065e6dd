// @ts-check
import { defineConfig } from 'astro/config';

// The site is static: every page is plain HTML and CSS, built into dist/.
export default defineConfig({
  srcDir: './src/site',
  outDir: './dist',
  publicDir: './src/site/public',
  trailingSlash: 'always',
  build: { format: 'directory' },
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
});
