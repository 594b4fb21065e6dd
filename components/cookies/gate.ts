/**
 * What a cookie choice lets into the host page: the scripts and frames it gates, also those a
 * single-page app adds later. Loaded by `<assent-cookies>` with the manifest, after the banner.
 *
 *   <script type="text/plain" data-assent-category="analytics" src="…/gtag.js"></script>
 *   <iframe data-assent-category="marketing" data-src="https://video.example/embed/1"></iframe>
 *
 * A script runs once `analytics` is granted (several categories: all must be);
 * `data-assent-type` gives the type to run it as (`module`). A frame gets its `src` from
 * `data-src` then; until then a placeholder stands in its place (see cookies.ts). It also
 * deletes the cookies of refused categories and gives Google Consent Mode its signals.
 */
import { css, baseStyles, format, html, pick, render } from '../shared/index.ts';
import type { CookieConfig } from '../../src/contract/manifest.ts';
import { placeholderEn } from '../shared/locales/placeholder/en.ts';
import { placeholderZhCN } from '../shared/locales/placeholder/zh-CN.ts';
import type { Granted } from '../shared/consent.ts';
import type { GateControl, PlaceholderContext } from './parts.ts';

const strings = { en: placeholderEn, 'zh-CN': placeholderZhCN };

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

const SCRIPTS = 'script[type="text/plain"][data-assent-category]';
const FRAMES = 'iframe[data-assent-category][data-src]';
const GATED = `${SCRIPTS},${FRAMES}`;

const allowed = (el: HTMLElement, granted: Granted) =>
  el.dataset.assentCategory!.split(/\s+/).every((id) => granted[id]);

/**
 * Deletes cookies by name or by `prefix*`, whichever path `/` and domain they were set on:
 * analytics scripts usually set theirs on the parent domain (`.shop.example`).
 */
function deleteCookies(patterns: string[]): void {
  const names = document.cookie.split('; ').map((c) => c.split('=')[0]!);
  const labels = location.hostname.split('.');
  const domains = ['', ...labels.map((_, i) => `; domain=${labels.slice(i).join('.')}`)];
  for (const pattern of patterns) {
    const prefix = pattern.endsWith('*') && pattern.slice(0, -1);
    for (const name of names) {
      if (prefix === false ? name !== pattern : !name.startsWith(prefix)) continue;
      for (const domain of domains) document.cookie = `${name}=; path=/${domain}; max-age=0`;
    }
  }
}

/** `gtag('consent', 'default' | 'update', …)`: a signal is granted when all its categories are. */
function consentMode(config: CookieConfig, command: 'default' | 'update', granted: Granted): void {
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

function run(gated: HTMLScriptElement): void {
  // A script element only runs when it is created as one: clone it into a real script.
  const script = document.createElement('script');
  for (const { name, value } of gated.attributes)
    if (name === 'src') script.src = trusted().createScriptURL(value);
    else if (name !== 'type') script.setAttribute(name, value);
  if (gated.dataset.assentType) script.type = gated.dataset.assentType;
  script.text = trusted().createScript(gated.text);
  gated.replaceWith(script);
}

/**
 * Watches the page for gated scripts and frames, now and whenever they are added
 * (MutationObserver), and lets in what the choice in force grants. `placeholder` renders what
 * stands in a frame's place while it waits.
 */
export class Gate implements GateControl {
  granted: Granted = {};
  // A single-page app changes the page all the time: look again only when what it added has
  // something gated in it, or what it removed held a frame with a placeholder.
  #observer = new MutationObserver((records) => {
    const gated = (node: Node) =>
      node instanceof Element && (node.matches(GATED) || !!node.querySelector(GATED));
    if (
      records.some((r) => [...r.addedNodes].some(gated) || (r.removedNodes.length && this.#placeholders.size))
    )
      this.#scan();
  });
  #placeholders = new Map<HTMLIFrameElement, HTMLElement>();
  /** Frames the user loaded for this page only ("Load once"): a later choice leaves them be. */
  #once = new WeakSet<HTMLIFrameElement>();
  #context: () => PlaceholderContext;

  /** Made once the manifest is in: Consent Mode's default is denied, but for necessary categories. */
  constructor(context: () => PlaceholderContext) {
    this.#context = context;
    const { categories } = context().config;
    consentMode(
      context().config,
      'default',
      Object.fromEntries(categories.map((c) => [c.id, c.mode === 'necessary'])),
    );
  }

  /**
   * Lets in what `granted` allows, and from now on what is added; withdrawn frames are
   * unloaded, refused categories' cookies deleted (by name or `prefix*`). `chosen`: the user
   * has chosen, so Consent Mode gets an update.
   */
  apply(granted: Granted, chosen: boolean): void {
    const { config } = this.#context();
    deleteCookies(
      config.categories.filter((c) => !granted[c.id]).flatMap((c) => c.cookies.map((k) => k.name)),
    );
    if (chosen) consentMode(config, 'update', granted);
    this.granted = granted;
    this.#observer.observe(document, { childList: true, subtree: true });
    for (const [frame] of this.#placeholders) this.#show(frame);
    this.#scan();
  }

  stop(): void {
    this.#observer.disconnect();
    for (const [frame, holder] of this.#placeholders) {
      holder.remove();
      frame.hidden = false;
    }
    this.#placeholders.clear();
  }

  /** Loads one frame whatever the choice ("Load once"). */
  loadOnce(frame: HTMLIFrameElement): void {
    this.#once.add(frame);
    this.#load(frame);
  }

  #load(frame: HTMLIFrameElement): void {
    this.#placeholders.get(frame)?.remove();
    this.#placeholders.delete(frame);
    frame.hidden = false;
    frame.src = frame.dataset.src!;
  }

  /** Re-renders the placeholders (the language or the labels changed). */
  refresh(): void {
    for (const [frame] of this.#placeholders) this.#show(frame);
  }

  #scan(): void {
    for (const script of document.querySelectorAll<HTMLScriptElement>(SCRIPTS))
      if (allowed(script, this.granted)) run(script);
    for (const frame of document.querySelectorAll<HTMLIFrameElement>(FRAMES)) {
      const loaded = frame.getAttribute('src') === frame.dataset.src;
      if (allowed(frame, this.granted)) {
        if (!loaded) this.#load(frame);
      } else if (!this.#placeholders.has(frame) && !this.#once.has(frame)) {
        // Withdrawn: the frame's page goes, so it sets no more cookies.
        if (frame.hasAttribute('src')) frame.src = 'about:blank';
        this.#show(frame);
      }
    }
    for (const [frame, holder] of this.#placeholders) if (!frame.isConnected) holder.remove();
  }

  #show(frame: HTMLIFrameElement): void {
    let holder = this.#placeholders.get(frame);
    if (!holder) {
      holder = document.createElement('div');
      holder.dataset.assentPlaceholder = '';
      holder.attachShadow({ mode: 'open' }).adoptedStyleSheets = [baseStyles, placeholderStyles];
      // As large as the frame it stands for, so nothing moves when it loads (CSSOM: CSP-safe).
      holder.style.inlineSize = frame.width ? `${frame.width}px` : '';
      holder.style.blockSize = frame.height ? `${frame.height}px` : '';
      this.#placeholders.set(frame, holder);
      frame.hidden = true;
      frame.before(holder);
    }
    render(this.#placeholder(frame), holder.shadowRoot!);
  }

  #placeholder(frame: HTMLIFrameElement): unknown {
    const { ui, config, allow } = this.#context();
    const t = strings[ui];
    const ids = frame.dataset.assentCategory!.split(/\s+/);
    const labels = config.categories
      .filter((c) => ids.includes(c.id))
      .map((c) => pick(c.label, ui))
      .join(ui === 'en' ? ', ' : '、');
    return html`<div part="placeholder" class="panel" lang=${ui}>
      <p>${format(t.embedBlocked, labels)}</p>
      <div class="actions">
        <button part="button load-once" @click=${() => this.loadOnce(frame)}>${t.loadOnce}</button>
        <button part="button always-allow" class="secondary" @click=${(e: Event) => allow(e, ids)}>
          ${format(t.alwaysAllow, labels)}
        </button>
      </div>
    </div>`;
  }
}

/** A gated frame's placeholder (in its own shadow root beside the frame). */
const placeholderStyles = css`
  :host {
    display: block;
    max-inline-size: 100%;
  }
  .panel {
    block-size: 100%;
    display: flex;
    flex-direction: column;
    justify-content: center;
  }
`;
