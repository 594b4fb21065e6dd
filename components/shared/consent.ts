/**
 * The cookie choice for app code, so that a React or Vue app needs no wrapper:
 *
 *   import { consent } from 'https://policies.example/assent/assent.js';
 *   if (consent.has('analytics')) startAnalytics();
 *   consent.addEventListener('change', () => consent.has('analytics') ? start() : stop());
 *
 * `<assent-cookies>` keeps it up to date: from the stored choice once the manifest has loaded,
 * after every choice on this page, and after a choice in another tab (`sync`). An export, not a
 * global; every Assent module shares this one object.
 */
export type Choices = Record<string, 'granted' | 'denied'>;
/** Per category, whether it is allowed now (necessary always is). */
export type Granted = Record<string, boolean>;

/** `change`: the choice in force changed (made here, in another tab, or read on load). */
export class Consent extends EventTarget {
  #choices: Choices | null = null;

  /** Every category, granted or denied; null until the user has chosen (or before it is known). */
  get choices(): Choices | null {
    return this.#choices;
  }

  /** Whether this category (all of several, space separated) is granted now. */
  has(categories: string): boolean {
    return categories.split(/\s+/).every((id) => this.#choices?.[id] === 'granted');
  }

  /** Sets the choice in force; fires `change` when it differs. For `<assent-cookies>`. */
  set(choices: Choices | null): void {
    if (JSON.stringify(choices) === JSON.stringify(this.#choices)) return;
    this.#choices = choices;
    this.dispatchEvent(new Event('change'));
  }
}

export const consent = new Consent();

const CHANNEL = 'assent_consent';
/**
 * Every BroadcastChannel object of the origin but the sender hears a message, so the listeners
 * of this page would hear its own announcements: they carry this page's mark, to be ignored.
 */
const PAGE = Math.random();

/**
 * Tells every other tab of this origin that the choice changed (they read the cookie again):
 * BroadcastChannel, or where it is missing a `storage` event (the key is written and removed).
 */
export function announce(): void {
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(PAGE);
    channel.close();
  } else
    try {
      localStorage.setItem(CHANNEL, String(Date.now()));
      localStorage.removeItem(CHANNEL);
    } catch {
      // Storage blocked: other tabs see the choice when they next load.
    }
}

/** Calls `heard` when another tab announces a change; returns the function that stops listening. */
export function sync(heard: () => void): () => void {
  const onStorage = (event: StorageEvent) => event.key === CHANNEL && event.newValue && heard();
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : undefined;
  if (channel) channel.onmessage = (event) => event.data !== PAGE && heard();
  else addEventListener('storage', onStorage);
  return () => (channel ? channel.close() : removeEventListener('storage', onStorage));
}
