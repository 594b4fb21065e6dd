/**
 * What the elements import from Lit and from components/shared, in one place: every published
 * module and on-demand chunk imports this, so the bundler puts Lit and all of it in one shared
 * chunk that a page loads once, however many Assent modules it loads (esbuild splits code by
 * which entry points reach it; one way in makes one chunk).
 */
export { adoptStyles, css, html, LitElement, nothing, render } from 'lit';
export type { CSSResultOrNative, PropertyValues, TemplateResult } from 'lit';
export * from './config.ts';
export * from './consent.ts';
export * from './cookies.ts';
export * from './element.ts';
export * from './events.ts';
export * from './i18n.ts';
export * from './manifest.ts';
export * from './styles.ts';
