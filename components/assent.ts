/**
 * The one script a partner page loads: it defines the Assent elements the page uses, and those
 * it adds later (a single-page app), each from its own module, and the page's UI language. All
 * of them share one copy of Lit and of components/shared (a chunk the modules import). It
 * exports `Assent.configure()` for page-wide settings and `consent` for app code (no globals:
 * `import { Assent, consent } from '…/assent/assent.js'`).
 *
 * The module finishes evaluating once what the page uses is defined (top-level await), so a
 * script that imports it can count on the elements. A browser does not hold rendering for a
 * top-level await: an element that takes room in the page (`<assent-accept>`) is painted in
 * place when its own module is also loaded with `blocking="render"` (see README).
 */
import { configure, consent } from './shared/index.ts';

const modules: Record<string, () => Promise<unknown>> = {
  'assent-accept': () => import('./accept/define.ts'),
  'assent-cookies': () => import('./cookies/define.ts'),
  'assent-update': () => import('./update/define.ts'),
};
const loading = new Map<string, Promise<unknown>>();

/** Loads the module of every Assent tag in the page not loaded yet. */
function defineUsed(): Promise<unknown> {
  for (const [tag, load] of Object.entries(modules))
    if (!loading.has(tag) && document.querySelector(tag))
      // A module that fails to load (the network) is tried again at the next change to the page.
      loading.set(
        tag,
        load().catch(() => loading.delete(tag)),
      );
  if (loading.size === Object.keys(modules).length) watcher.disconnect();
  return Promise.all(loading.values());
}

const watcher = new MutationObserver(defineUsed);
watcher.observe(document, { childList: true, subtree: true });
await defineUsed();

export type { AssentConfig } from './shared/config.ts';
export type * from './shared/events.ts';
export type { AssentAccept } from './accept/accept.ts';
export type { AssentCookies } from './cookies/cookies.ts';
export type { AssentUpdate } from './update/update.ts';
export { configure, consent };

export const Assent = { configure };
