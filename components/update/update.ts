import {
  AssentAcknowledgedEvent,
  AssentDocumentElement,
  baseStyles,
  findDocument,
  format,
  formatDate,
  html,
  nothing,
  type PropertyValues,
  readMarks,
  writeMarks,
} from '../shared/documents.ts';
import type { Manifest, ManifestDocument, ManifestVersion } from '../../src/contract/manifest.ts';
import { askStanding, queued, standing, withStanding, type RemoteStanding } from '../shared/standing.ts';
import { updateStyles } from './update.styles.ts';

interface Shown {
  /** `required`: modal, must accept. `notice`: dismissible. `upcoming`: announced, not yet in effect. */
  kind: 'required' | 'notice' | 'upcoming';
  version: ManifestVersion;
  /** An announced version, mentioned beside a change in effect. */
  next?: ManifestVersion;
}

/**
 * Tells a returning user that a document changed. It compares what they accepted or were told
 * of (the `assent_accept` cookie) with the manifest, on the user's own calendar day. A version
 * with `acceptance: required` that took effect since opens a modal dialog that must be accepted
 * to continue (Escape does not close it) and posts `accepted`; a `notice` version shows a
 * dismissible notice and posts `acknowledged`. Both show the summary, the new version and its
 * changes; an announced version is shown as upcoming, with its date. On a first visit nothing
 * is shown: the version in effect is remembered, to compare with next time.
 *
 * With `subject-token` (minted by the partner's backend), what the endpoint holds for the
 * subject counts too, so a required version pops up on every device until it is accepted on
 * one. A token that fails leaves the element as without one, and fires `assent-error`
 * (detail `subjectToken: true`).
 *
 * `state` (reflected: `loading`, `ready`, `error`) and `error` (the last `assent-error`
 * detail) can be read at any time, also by a script that runs after the event fired.
 *
 * @tagname assent-update
 *
 * @fires assent-accept - Cancelable, before a required version is accepted. detail: document, version, hash.
 * @fires assent-accepted - The user accepted the required version; detail adds `record`.
 * @fires assent-acknowledged - The user dismissed a notice; detail as `assent-accepted`.
 * @fires assent-recorded - The endpoint confirmed the record. detail: record, receipt.
 * @fires assent-error - The manifest did not load, the record was not (yet) stored, or standing was refused.
 *
 * @csspart dialog - The modal dialog for a required change.
 * @csspart notice - The notice for a notice change or an announced version.
 * @csspart title - The heading.
 * @csspart summary - What changed, in the editor's words.
 * @csspart link - The links to the new version and to its changes.
 * @csspart upcoming - The announced version and its date.
 * @csspart button - Every button; also `accept` and `dismiss`.
 * @csspart status - Whether the record is saved.
 *
 * @cssproperty --assent-background - Background.
 * @cssproperty --assent-color - Text colour.
 * @cssproperty --assent-accent - Buttons, links, focus ring.
 * @cssproperty --assent-accent-color - Text on accent.
 * @cssproperty --assent-border-color - Border.
 * @cssproperty --assent-radius - Corner radius.
 * @cssproperty --assent-z-index - Stacking of the notice.
 * @cssproperty --assent-font - Font shorthand.
 */
export class AssentUpdate extends AssentDocumentElement {
  static override tag = 'assent-update';
  static override styles = [baseStyles, updateStyles];
  static override properties = {
    ...AssentDocumentElement.properties,
    document: {},
    subjectToken: { attribute: 'subject-token' },
    shown: { state: true },
  };

  /** The document's slug in the manifest. */
  declare document?: string;
  /** A subject token from the partner's backend: ask the endpoint for the subject's standing. */
  declare subjectToken?: string;
  declare private shown?: Shown;

  #doc?: ManifestDocument;

  protected override ready(manifest: Manifest): void {
    const doc = (this.#doc = findDocument(manifest, this.document));
    const { endpoint } = this.config;
    const token = this.subjectToken;
    if (!token || !endpoint) return this.#decide(doc);
    askStanding(endpoint, token, doc.slug).then(
      (remote) => token === this.subjectToken && this.catching(() => this.#decide(doc, remote)),
      (error) => {
        this.fail(error, { ...error, subjectToken: true });
        this.catching(() => this.#decide(doc));
      },
    );
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // A token given (or renewed) after the manifest arrived: ask again.
    if (changed.has('subjectToken') && this.hasUpdated && this.loaded) this.ready(this.loaded);
  }

  /** What to show, from this browser's marks and, with a token, the endpoint's standing. */
  #decide(doc: ManifestDocument, remote?: RemoteStanding): void {
    const own = readMarks(doc.slug);
    const marks = remote ? withStanding(doc, own, remote, queued) : own;
    const { current, upcoming, unseen } = standing(doc, marks);
    if (!current) return;
    if (!marks.accepted && !marks.notified)
      writeMarks(
        doc.slug,
        { notified: { version: current.version, time: Date.now() } },
        this.config.cookieDomain,
      );
    this.shown = unseen.length
      ? {
          kind: unseen.some((v) => v.acceptance === 'required') ? 'required' : 'notice',
          version: current,
          next: upcoming,
        }
      : upcoming && marks.dismissed !== upcoming.version
        ? { kind: 'upcoming', version: upcoming }
        : undefined;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
  }

  #accept(event: Event): void {
    if (!this.acceptVersion(event, this.detailOf(this.#doc!, this.shown!.version))) return;
    this.shown = undefined;
    // Closing a modal dialog (rather than just removing it) returns focus to where it was.
    this.renderRoot.querySelector('dialog')?.close();
  }

  #dismiss(event: Event): void {
    const kind = this.shown!.kind;
    const done = this.sendAbout('acknowledged', event, this.detailOf(this.#doc!, this.shown!.version));
    if (!done) return;
    writeMarks(
      done.document,
      kind === 'upcoming'
        ? { dismissed: done.version }
        : { notified: { version: done.version, time: Date.now() } },
      this.config.cookieDomain,
    );
    this.shown = undefined;
    this.dispatchEvent(new AssentAcknowledgedEvent(done));
  }

  protected override refused(_id: string): void {
    // The acceptance was refused (the manifest changed under the page): ask again.
    if (this.loaded) this.ready(this.loaded);
  }

  protected override view(): unknown {
    const shown = this.shown;
    if (!shown) return nothing;
    const t = this.t;
    const { version: v, next, kind } = shown;
    const date = (d: string) => formatDate(d, this.ui);
    const body = html`<h2 id="title" part="title">
        ${format(kind === 'upcoming' ? t.upcomingTitle : t.updatedTitle, v.title)}
      </h2>
      <p>${format(t.effectiveOn, v.version, date(v.effective))}</p>
      <p id="summary" part="summary">${v.summary}</p>
      <p>
        <a part="link" href=${this.href(v.url)} target="_blank">${t.readNew}</a>
        ${
          v.changesUrl
            ? html` · <a part="link" href=${this.href(v.changesUrl)} target="_blank">${t.readChanges}</a>`
            : nothing
        }
      </p>
      ${
        next
          ? html`<p part="upcoming">
              ${format(t.effectiveOn, next.version, date(next.effective))} ${next.summary}
            </p>`
          : nothing
      }`;
    if (kind === 'required')
      return html`<dialog
        part="dialog"
        class="panel"
        aria-labelledby="title"
        aria-describedby="summary"
        @keydown=${this.trapFocus}
        @cancel=${(e: Event) => e.preventDefault()}
        @close=${() => this.requestUpdate()}
      >
        ${body}
        <div class="actions">
          <button part="button accept" @click=${this.#accept}>${t.accept}</button>
        </div>
        ${this.statusLine()}
      </dialog>`;
    return html`<section
      part="notice"
      class="panel overlay"
      aria-labelledby="title"
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.renderRoot.querySelector('button')?.click()}
    >
      ${body}
      <div class="actions">
        <button part="button dismiss" @click=${this.#dismiss}>${t.gotIt}</button>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-update': AssentUpdate;
  }
}
