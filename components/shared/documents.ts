/**
 * What `<assent-accept>` and `<assent-update>` share and `<assent-cookies>` does not: their base
 * class (the one acceptance path, the save status, the focus trap), finding a document in the manifest, the marks kept per
 * document in `assent_accept`, dates and their UI strings. They import it (and, through it,
 * everything in index.ts) from here, so the bundler puts it in a chunk the two of them share:
 * it is not on the path to the cookie banner's first paint.
 */
import type { TemplateResult } from 'lit/html.js';
import type { Manifest, ManifestDocument, ManifestVersion } from '../../src/contract/manifest.ts';
import { ACCEPT_COOKIE, type DocumentMarks, readAccept, writeCookie } from './cookies.ts';
import { statusLine, trapFocus } from './controls.ts';
import { AssentElement } from './element.ts';
import { eventClass, type DocumentDetail, type RecordDetail } from './events.ts';
import type { UiLocale } from './i18n.ts';
import { en, type Strings } from './locales/en.ts';
import { zhCN } from './locales/zh-CN.ts';
import { documentsEn, type DocumentStrings } from './locales/documents/en.ts';
import { documentsZhCN } from './locales/documents/zh-CN.ts';

export * from './index.ts';

// The events only these two elements fire (their types are in events.ts, with the others').
/** `assent-accept`: before a record is made; cancel it to stop the acceptance. */
export const AssentAcceptEvent = /* @__PURE__ */ eventClass<DocumentDetail>('assent-accept', true);
/** `assent-accepted`: the user accepted; the record is queued. */
export const AssentAcceptedEvent = /* @__PURE__ */ eventClass<RecordDetail>('assent-accepted');
/** `assent-declined`: the user declined; a `declined` record is queued. */
export const AssentDeclinedEvent = /* @__PURE__ */ eventClass<RecordDetail>('assent-declined');
/** `assent-acknowledged`: the user dismissed an update notice; an `acknowledged` record is queued. */
export const AssentAcknowledgedEvent = /* @__PURE__ */ eventClass<RecordDetail>('assent-acknowledged');

const documentStrings: Record<UiLocale, Strings & DocumentStrings> = {
  en: { ...en, ...documentsEn },
  'zh-CN': { ...zhCN, ...documentsZhCN },
};

export function findDocument(manifest: Manifest, slug: string | undefined): ManifestDocument {
  const found = manifest.documents.find((d) => d.slug === slug);
  if (!found) throw new Error(`the manifest has no document "${slug}"`);
  return found;
}

export const readMarks = (slug: string): DocumentMarks => readAccept().documents[slug] ?? {};

export function writeMarks(slug: string, marks: DocumentMarks, domain?: string): void {
  const accept = readAccept();
  accept.documents[slug] = { ...accept.documents[slug], ...marks };
  writeCookie(ACCEPT_COOKIE, accept, 365, domain);
}

/** A calendar date (`2021-06-01`) or an instant (ms) as the locale writes it: `June 1, 2021`. */
export const formatDate = (date: string | number, locale: UiLocale): string =>
  new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    ...(typeof date === 'string' ? { timeZone: 'UTC' } : {}),
  }).format(typeof date === 'string' ? new Date(date + 'T00:00Z') : date);

/** An element about one document: `<assent-accept>`, `<assent-update>`. */
export abstract class AssentDocumentElement extends AssentElement {
  protected override get t(): Strings & DocumentStrings {
    return documentStrings[this.ui];
  }

  /** The live region that says whether the last record is saved. */
  protected statusLine(): TemplateResult {
    return statusLine(this.status, this.error, this.ui);
  }

  /** Keeps Tab and Shift+Tab inside a modal dialog (keydown listener on the dialog). */
  protected trapFocus(event: KeyboardEvent): void {
    trapFocus(event);
  }

  /** Records what the user did about one version; `event` is the click on the button pressed. */
  protected sendAbout(
    type: 'accepted' | 'declined' | 'acknowledged',
    event: Event,
    about: DocumentDetail,
  ): RecordDetail | undefined {
    const record = this.send(type, (event.currentTarget as HTMLElement).textContent ?? '', {
      document: { slug: about.document, version: about.version, contentHash: about.hash },
    });
    return record && { ...about, record: record.id };
  }

  /** What `assent-accept` and the events after it say about a version. */
  protected detailOf(doc: ManifestDocument, version: ManifestVersion): DocumentDetail {
    return { document: doc.slug, version: version.version, hash: version.contentHash };
  }

  /**
   * The one acceptance path, for `<assent-accept>` and `<assent-update>`: fires the cancelable
   * `assent-accept`, posts an `accepted` record, remembers the acceptance (and that the user
   * has seen this version) in `assent_accept`, and fires `assent-accepted`. Undefined when the
   * host cancelled or nothing could be recorded.
   */
  protected acceptVersion(event: Event, about: DocumentDetail): RecordDetail | undefined {
    if (!this.dispatchEvent(new AssentAcceptEvent(about))) return undefined;
    const done = this.sendAbout('accepted', event, about);
    if (!done) return undefined;
    const mark = { version: done.version, time: Date.now() };
    writeMarks(
      done.document,
      { accepted: { ...mark, hash: done.hash, record: done.record }, notified: mark },
      this.config.cookieDomain,
    );
    this.dispatchEvent(new AssentAcceptedEvent(done));
    return done;
  }
}
