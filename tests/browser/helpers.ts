/** What the browser tests share: the real endpoint and manifest, clean state, waiting. */
import { executeServerCommand } from '@web/test-runner-commands';
import type { AssentCookies } from '../../components/cookies/cookies.ts';
import type { Manifest } from '../../src/contract/manifest.ts';
import type { StoredRecord } from '../../src/contract/record.ts';

/** The fixture site's manifest (see setup/assent-server.ts), served by the test runner. */
export const MANIFEST = '/site/assent/manifest.json';

export async function endpointUrl(): Promise<string> {
  return ((await executeServerCommand('assent-endpoint')) as { url: string }).url;
}

export const stopEndpoint = () => executeServerCommand('assent-endpoint-stop');
export const startEndpoint = () => executeServerCommand('assent-endpoint-start');

/** A subject token for `subject` from the partner's "backend" (the test runner); `ageSeconds` ago. */
export async function subjectToken(subject: string, ageSeconds = 0): Promise<string> {
  return ((await executeServerCommand('assent-subject-token', { subject, ageSeconds })) as { token: string })
    .token;
}

export async function storedRecords(): Promise<StoredRecord[]> {
  return (await executeServerCommand('assent-records')) as StoredRecord[];
}

/** Waits until the endpoint has stored the record with this id. */
export async function storedRecord(id: string, timeout = 15_000): Promise<StoredRecord> {
  return until(async () => (await storedRecords()).find((r) => r.id === id), timeout);
}

export async function manifest(): Promise<Manifest> {
  return (await fetch(MANIFEST)).json();
}

/** Polls until `check` returns something truthy. */
export async function until<T>(check: () => T | Promise<T>, timeout = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms: ${check}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The next event of this type on `target`. */
export function nextEvent<E extends Event>(target: EventTarget, type: string, timeout = 15_000): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeout} ms`)), timeout);
    target.addEventListener(
      type,
      (event) => {
        clearTimeout(timer);
        resolve(event as E);
      },
      { once: true },
    );
  });
}

/** Forgets every cookie, the outbox and page-wide configuration left by an earlier test. */
export function resetPage(): void {
  for (const name of document.cookie
    .split('; ')
    .map((c) => c.split('=')[0])
    .filter(Boolean))
    document.cookie = `${name}=; max-age=0; path=/`;
  localStorage.clear();
  document.querySelectorAll('meta[name="assent-config"]').forEach((m) => m.remove());
  document.documentElement.lang = '';
}

export function setCookie(name: string, value: unknown): void {
  document.cookie = `${name}=${encodeURIComponent(JSON.stringify(value))}; path=/`;
}

export function readCookie<T>(name: string): T | undefined {
  const raw = document.cookie
    .split('; ')
    .find((c) => c.startsWith(name + '='))
    ?.slice(name.length + 1);
  return raw ? JSON.parse(decodeURIComponent(raw)) : undefined;
}

/** Whether the element's shadow root has a match (a boolean: chai chokes printing elements). */
export const has = (host: Element, selector: string): boolean => !!host.shadowRoot?.querySelector(selector);

/** Shadow-root query that fails loudly. */
export function part<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot!.querySelector<T>(selector as any);
  if (!found) throw new Error(`no ${selector} in <${host.localName}>`);
  return found;
}

/** Waits for an Assent element to have loaded the manifest and rendered. */
export async function loaded(host: Element & { updateComplete: Promise<unknown> }, selector: string) {
  await until(() => host.shadowRoot?.querySelector(selector));
  await host.updateComplete;
}

/** An `<assent-cookies>` on the fixture site's manifest, in the page, once it is ready. */
export async function cookiesElement(endpoint: string, attributes = 'locale="en"'): Promise<AssentCookies> {
  const host = document.createElement('div');
  host.innerHTML = `<assent-cookies endpoint="${endpoint}" manifest="${MANIFEST}" ${attributes}></assent-cookies>`;
  document.body.append(host);
  const el = host.firstElementChild as AssentCookies;
  await until(() => el.state === 'ready');
  await el.updateComplete;
  return el;
}

/** A gated inline script (not yet in the page) that counts its runs in `window[flag]`. */
export function gatedScript(category: string, flag: string): HTMLScriptElement {
  const script = document.createElement('script');
  script.type = 'text/plain';
  script.dataset.assentCategory = category;
  script.text = `window.${flag} = (window.${flag} || 0) + 1;`;
  return script;
}
