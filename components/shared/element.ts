/**
 * What the three elements share: configuration, UI language, loading the manifest, making a
 * record and following it through the outbox until the endpoint confirms it, and reporting
 * failures as `assent-error` instead of throwing into the host page.
 */
import { nothing } from 'lit/html.js';
import type { Manifest } from '../../src/contract/manifest.ts';
import type { RecordInput, RecordReceipt } from '../../src/contract/record.ts';
import { recordId } from '../../src/contract/record-id.ts';
import { resolveConfig } from './config.ts';
import { anonymousId, migrateCookies } from './cookies.ts';
import { AssentErrorEvent, AssentRecordedEvent, type ErrorDetail } from './events.ts';
import { strings, uiLocale, type UiLocale } from './i18n.ts';
import type { Strings } from './locales/en.ts';
import { loadManifest } from './manifest.ts';
import { ReactiveElement } from './reactive-element.ts';
import type { DeliveryError } from './outbox.ts';

/**
 * The outbox is loaded when a record is made or followed, or when an earlier page left records
 * queued: it is not on the path to the first paint.
 */
let outboxModule: Promise<typeof import('./outbox.ts')> | undefined;
const loadOutbox = () => (outboxModule ??= import('./outbox.ts'));

/** Sent in every record as `shown.componentVersion`. */
export const VERSION = '0.1.0';

/** Where the last record of this element is: queued, confirmed, queued after a failure, refused. */
export type SaveStatus = 'saving' | 'saved' | 'retrying' | 'failed';

/** Whether the element can do its work: the manifest is loading, has loaded, or it cannot. */
export type AssentState = 'loading' | 'ready' | 'error';

/** Whether the browser sends Global Privacy Control (https://w3c.github.io/gpc/). */
export const gpc = (): boolean =>
  (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;

export abstract class AssentElement extends ReactiveElement {
  static tag: string;

  /** Registers the element (once; safe to call again) under `tag` in `registry`. */
  static define(tag: string = this.tag, registry: CustomElementRegistry = customElements): void {
    if (!registry.get(tag)) registry.define(tag, this as unknown as CustomElementConstructor);
  }

  static override properties = {
    endpoint: {},
    manifest: {},
    locale: {},
    subject: {},
    cookieDomain: { attribute: 'cookie-domain' },
    cookieDays: { attribute: 'cookie-days', type: Number },
    state: { reflect: true },
    loaded: { state: true },
    status: { state: true },
  };

  /** Base URL of the record endpoint (records go to `${endpoint}/v1/records`). */
  declare endpoint?: string;
  /** URL of manifest.json; default: beside the script, or the page's configuration. */
  declare manifest?: string;
  /** UI language (`zh-CN`, `en`); default: the page's `lang`, then the browser's. */
  declare locale?: string;
  /** The partner's id for the signed-in user; without it, records name an anonymous subject. */
  declare subject?: string;
  /** Domain for Assent's cookies (e.g. `shop.example`, shared by its subdomains); wins over the page's. */
  declare cookieDomain?: string;
  /** Days the cookie choice is kept; wins over the page's (default 180). */
  declare cookieDays?: number;
  /**
   * Reflected as the `state` attribute: `loading` until the manifest is in, then `ready`, or
   * `error` when the element cannot do its work (no manifest, no such document). A page script
   * that runs after `assent-error` has fired reads it here (or styles `[state=error]`).
   */
  declare state: AssentState;
  /**
   * The last failure, as `assent-error` told it (also a record not stored yet), kept to be read
   * late. Not reactive: `state` is what re-renders, and a fresh object on every failure would
   * re-render forever when the failure comes from rendering.
   */
  declare error?: ErrorDetail;
  declare protected loaded?: Manifest;
  declare protected status?: SaveStatus;

  /** Settles once the manifest has loaded (and `ready` ran) or failed to. */
  protected manifestLoaded: Promise<void>;
  #manifestSettled!: () => void;
  #records = new Set<string>();
  #stopListening?: () => void;

  constructor() {
    super();
    this.state = 'loading';
    this.manifestLoaded = new Promise((resolve) => (this.#manifestSettled = resolve));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const { cookieDomain, cookieDays = 180 } = this.config;
    migrateCookies(cookieDomain, cookieDays);
    try {
      if (localStorage.getItem('assent_outbox')) void loadOutbox();
    } catch {
      // Storage blocked: nothing can have been left queued.
    }
    loadManifest(this.config.manifest).then(
      (manifest) => {
        this.loaded = manifest;
        this.state = 'ready';
        this.catching(() => this.ready(manifest));
        this.#manifestSettled();
        // Ready to record before the user can click.
        void loadOutbox();
      },
      (error) => {
        this.fail(error);
        this.#manifestSettled();
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopListening?.();
    this.#stopListening = undefined;
  }

  protected get config() {
    return resolveConfig({
      endpoint: this.endpoint,
      manifest: this.manifest,
      cookieDomain: this.cookieDomain,
      cookieDays: this.cookieDays,
    });
  }

  /**
   * A site-relative URL from the manifest (`/slug/version/`), made absolute. The manifest is
   * published at `<site>/assent/manifest.json`, so the site may live below its origin's root.
   */
  protected href(path: string): string {
    return new URL(path.replace(/^\//, ''), new URL('..', this.config.manifest)).href;
  }

  protected get ui(): UiLocale {
    return uiLocale(this, this.locale);
  }

  protected get t(): Strings {
    return strings(this.ui);
  }

  /** Called once the manifest has loaded. */
  protected ready(_manifest: Manifest): void {}

  /** The element's content; `render` keeps whatever it throws from reaching the page. */
  protected abstract view(): unknown;

  protected override render(): unknown {
    return this.catching(() => this.view()) ?? nothing;
  }

  protected catching<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      queueMicrotask(() => this.fail(error));
      return undefined;
    }
  }

  protected fail(error: unknown, detail: Omit<ErrorDetail, 'message'> = {}): void {
    const message = (error as Error)?.message ?? String(error);
    this.error = { ...detail, message };
    // A record not stored (yet), or standing not had, leaves the element working; anything else stops it.
    if (!detail.record && !detail.subjectToken) this.state = 'error';
    this.dispatchEvent(new AssentErrorEvent(this.error));
  }

  /** Makes a record of what the user did and queues it; undefined when no endpoint is set. */
  protected send(
    type: RecordInput['type'],
    buttonText: string,
    about: Pick<RecordInput, 'document' | 'cookies' | 'choices'>,
    subject: RecordInput['subject'] = this.subject
      ? { kind: 'user', id: this.subject }
      : { kind: 'anonymous', id: anonymousId(this.config.cookieDomain) },
  ): RecordInput | undefined {
    const { endpoint } = this.config;
    if (!endpoint) {
      this.fail(new Error('no record endpoint: set the endpoint attribute or assent-config'));
      return undefined;
    }
    const record: RecordInput = {
      id: recordId(),
      type,
      clientTime: new Date().toISOString(),
      subject,
      ...about,
      shown: {
        component: this.localName,
        componentVersion: VERSION,
        locale: this.ui,
        buttonText: buttonText.trim().slice(0, 200),
        // Assent never ticks a box for the user.
        checkboxPreticked: false,
        pageOrigin: location.origin,
        pagePath: location.pathname,
        ...(gpc() && { gpc: true }),
      },
    };
    loadOutbox().then(
      ({ outbox }) => outbox.send(endpoint, record),
      (error) => this.fail(error, { record: record.id, retrying: false }),
    );
    this.follow(record.id);
    return record;
  }

  /** Shows the save status of a record, also one queued by an earlier page. */
  protected follow(id: string | undefined): void {
    if (!id) return;
    this.#records.add(id);
    this.status = 'saving';
    void loadOutbox().then(({ outbox }) => {
      this.#stopListening ??= this.isConnected
        ? outbox.listen((id, receipt, error) => this.#heard(id, receipt, error))
        : undefined;
      // Confirmed before this element listened (sent on load, from an earlier page's outbox).
      const receipt = outbox.confirmed.get(id);
      if (receipt) this.#heard(id, receipt);
      else if (!outbox.pending(id) && this.status === 'saving') this.status = 'saved';
    });
  }

  /** A record was refused for good: forget what it claimed. */
  protected refused(_id: string): void {}

  #heard(id: string, receipt?: RecordReceipt, error?: DeliveryError): void {
    if (!this.#records.has(id)) return;
    if (receipt) {
      this.status = 'saved';
      this.dispatchEvent(new AssentRecordedEvent({ record: id, receipt }));
    } else if (error) {
      this.status = error.retrying ? 'retrying' : 'failed';
      if (!error.retrying) this.refused(id);
      this.fail(error.message, { ...error, record: id });
    }
  }
}
