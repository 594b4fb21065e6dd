// @ts-check
import { defineConfig } from 'astro/config';
import { assentAstroConfig, siteOptionsFromEnv } from './src/site/astro-config.ts';

// What the build is for comes from ASSENT_CONTENT_DIR and ASSENT_BUILD_DATE (README).
export default defineConfig(assentAstroConfig(siteOptionsFromEnv(process.env)));
