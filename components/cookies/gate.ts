/**
 * What a cookie choice does to the host page: runs the scripts it gates, deletes the cookies of
 * refused categories, and tells Google tags (Consent Mode v2).
 *
 *   <script type="text/plain" data-assent-category="analytics" src="…/gtag.js"></script>
 *
 * runs once `analytics` is granted (several categories: all must be). `data-assent-type`
 * gives the type to run it as (`module`).
 */
import type { CookieConfig } from '../../src/contract/manifest.ts';
import { deleteCookies } from '../shared/cookies.ts';

export type Granted = Record<string, boolean>;

interface ScriptPolicy {
  createScript(text: string): string;
  createScriptURL(url: string): string;
}

let policy: ScriptPolicy | undefined;

/**
 * Under Trusted Types (`require-trusted-types-for 'script'`) a script's `src` and text take
 * only trusted values (https://w3c.github.io/trusted-types/dist/spec/). The gated scripts are
 * the page's own markup, put there by its author to run, so the `assent` policy passes them
 * through as they are; it is made on first use, so a page without gated scripts has none.
 */
const trusted = (): ScriptPolicy =>
  (policy ??= (
    globalThis as { trustedTypes?: { createPolicy(name: string, rules: ScriptPolicy): ScriptPolicy } }
  ).trustedTypes?.createPolicy('assent', { createScript: (s) => s, createScriptURL: (s) => s }) ?? {
    createScript: (s) => s,
    createScriptURL: (s) => s,
  });

export function runGatedScripts(granted: Granted): void {
  for (const gated of document.querySelectorAll<HTMLScriptElement>(
    'script[type="text/plain"][data-assent-category]',
  )) {
    if (!gated.dataset.assentCategory!.split(/\s+/).every((id) => granted[id])) continue;
    // A script element only runs when it is created as one: clone it into a real script.
    const script = document.createElement('script');
    for (const { name, value } of gated.attributes)
      if (name === 'src') script.src = trusted().createScriptURL(value);
      else if (name !== 'type') script.setAttribute(name, value);
    if (gated.dataset.assentType) script.type = gated.dataset.assentType;
    script.text = trusted().createScript(gated.text);
    gated.replaceWith(script);
  }
}

export function deleteRefusedCookies(config: CookieConfig, granted: Granted): void {
  deleteCookies(config.categories.filter((c) => !granted[c.id]).flatMap((c) => c.cookies.map((k) => k.name)));
}

/** `gtag('consent', 'default' | 'update', …)`: a signal is granted when all its categories are. */
export function consentMode(config: CookieConfig, command: 'default' | 'update', granted: Granted): void {
  const gtag = (window as { gtag?: (...args: unknown[]) => void }).gtag;
  if (typeof gtag !== 'function') return;
  gtag(
    'consent',
    command,
    Object.fromEntries(
      Object.entries(config.googleConsentMode).map(([signal, ids]) => [
        signal,
        ids.every((id) => granted[id]) ? 'granted' : 'denied',
      ]),
    ),
  );
}
