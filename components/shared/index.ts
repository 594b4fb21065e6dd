/**
 * What the elements import from lit-html (Lit's template engine) and from components/shared, in
 * one place: every published module and on-demand chunk imports this, so the bundler puts
 * lit-html and all of it in one shared chunk that a page loads once, however many Assent modules it loads (esbuild splits code by
 * which entry points reach it; one way in makes one chunk).
 */
export { html, nothing, render } from 'lit/html.js';
export type { TemplateResult } from 'lit/html.js';
export * from './config.ts';
export * from './consent.ts';
export * from './cookies.ts';
export * from './element.ts';
export * from './events.ts';
export * from './i18n.ts';
export * from './manifest.ts';
export * from './reactive-element.ts';
export * from './styles.ts';
// The cookie banner's class too: it stands on nearly every page of a site that gates scripts, and
// one file with Lit is 430 bytes gzip less on the banner's path than two (bench/bundle; README,
// Benchmarks). A page without the banner loads the class (about 1.3 KB gzip) but does not define it.
export { AssentCookies } from '../cookies/cookies.ts';
