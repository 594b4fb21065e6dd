import {
  AssentDeclinedEvent,
  AssentDocumentElement,
  baseStyles,
  fill,
  findDocument,
  format,
  formatDate,
  html,
  nothing,
  type PropertyValues,
  readMarks,
  writeMarks,
} from '../shared/documents.ts';
import type { ManifestDocument, ManifestVersion } from '../../src/contract/manifest.ts';
import {
  askStanding,
  queued,
  standing,
  withStanding,
  type ProvenMark,
  type RemoteStanding,
  type StandingError,
} from '../shared/standing.ts';
import { acceptStyles } from './accept.styles.ts';

/**
 * Click-to-accept for one document: the title and version (linked to its page), an unticked
 * checkbox and an accept button, optionally the key clauses. Accepting posts an `accepted`
 * record naming the version and content hash shown and the exact button text; declining posts
 * `declined`. What was accepted is kept in the `assent_accept` cookie, so a returning user sees
 * "accepted on …" until a `required` version takes effect.
 *
 * Form-associated: with `name`, the value submitted is the endpoint's signed receipt once it
 * confirmed the acceptance (check it with `verifyReceipt`), the accepted version until then;
 * `required` keeps the form from submitting until the user accepts, `required="recorded"`
 * until the endpoint confirmed it (native validation messages).
 *
 * With `subject-token` (minted by the partner's backend), the endpoint is asked for the
 * subject's standing, so an acceptance made on another device shows as accepted here. A token
 * that fails leaves the element as without one, and fires `assent-error` (detail `subjectToken: true`).
 *
 * `state` (reflected: `loading`, `ready`, `error`) and `error` (the last `assent-error`
 * detail) can be read at any time, also by a script that runs after the event fired.
 *
 * @tagname assent-accept
 *
 * @fires assent-accept - Cancelable, before the record is made. detail: document, version, hash.
 * @fires assent-accepted - The user accepted; detail adds `record` (the record id).
 * @fires assent-declined - The user declined; detail as `assent-accepted`.
 * @fires assent-recorded - The endpoint confirmed the record. detail: record, receipt.
 * @fires assent-error - The manifest did not load, a record was not (yet) stored, or standing was refused. detail: message, status, retrying, record, subjectToken.
 *
 * @csspart base - The panel around everything.
 * @csspart notice - The sentence naming the document (and, once accepted, when).
 * @csspart link - The link to the version's page.
 * @csspart version - The version label.
 * @csspart digest - The expandable key clauses (`key-clauses`).
 * @csspart label - The checkbox's label.
 * @csspart checkbox - The checkbox.
 * @csspart button - Every button; also `accept` and `decline`.
 * @csspart status - Whether the record is saved.
 * @csspart error - The message shown when the manifest could not be loaded.
 *
 * @cssproperty --assent-background - Panel background.
 * @cssproperty --assent-color - Text colour.
 * @cssproperty --assent-accent - Buttons, links, focus ring.
 * @cssproperty --assent-accent-color - Text on accent.
 * @cssproperty --assent-border-color - Panel border.
 * @cssproperty --assent-radius - Corner radius.
 * @cssproperty --assent-font - Font shorthand.
 */
export class AssentAccept extends AssentDocumentElement {
  static override tag = 'assent-accept';
  static formAssociated = true;
  static override shadowRootOptions = { ...AssentDocumentElement.shadowRootOptions, delegatesFocus: true };
  static override styles = [baseStyles, acceptStyles];
  static override properties = {
    ...AssentDocumentElement.properties,
    document: {},
    required: { converter: (value: string | null) => (value === 'recorded' ? value : value !== null) },
    subjectToken: { attribute: 'subject-token' },
    decline: { type: Boolean },
    keyClauses: { type: Boolean, attribute: 'key-clauses' },
    control: {},
    buttonText: { attribute: 'button-text' },
    accepted: { type: Boolean, reflect: true },
    checked: { state: true },
    declined: { state: true },
  };

  /** The document's slug in the manifest. */
  declare document?: string;
  /** Inside a form: block submission until accepted (`true`), or until the endpoint confirmed it (`'recorded'`). */
  declare required: boolean | 'recorded';
  /** A subject token from the partner's backend: ask the endpoint for the subject's standing. */
  declare subjectToken?: string;
  /** Also offer a Decline button (posts a `declined` record). */
  declare decline: boolean;
  /** Show the version's key clauses, expandable. */
  declare keyClauses: boolean;
  /** `both` (default): an unticked checkbox that enables the button. `button`: the button alone. */
  declare control?: 'both' | 'button';
  /** Accept button text instead of the localized default. */
  declare buttonText?: string;
  /** Reflects whether the version in effect (or an earlier one, with only notices since) is accepted. */
  declare accepted: boolean;
  declare private checked: boolean;
  declare private declined: boolean;

  #internals = this.attachInternals();
  #doc?: ManifestDocument;
  #version?: ManifestVersion;
  #mark?: ProvenMark;
  /** The signed receipt of the acceptance shown, once the endpoint's is at hand. */
  #receipt?: string;
  /** Receipts the endpoint gave for records made or followed here, by record id. */
  #receipts = new Map<string, string>();
  /** What the endpoint holds for the token's subject; null while asking. */
  #remote?: RemoteStanding | null;
  #asked?: string;

  constructor() {
    super();
    this.required = this.decline = this.keyClauses = this.accepted = this.checked = this.declined = false;
    this.addEventListener('assent-recorded', ({ detail }) => {
      if (detail.receipt.receipt) this.#receipts.set(detail.record, detail.receipt.receipt);
      this.requestUpdate();
    });
  }

  /** As the form submits it: the signed receipt once recorded, the accepted version until then; empty until accepted. */
  get value(): string {
    return this.#receipt ?? this.#mark?.version ?? '';
  }

  get form(): HTMLFormElement | null {
    return this.#internals.form;
  }

  get validity(): ValidityState {
    return this.#internals.validity;
  }

  get validationMessage(): string {
    return this.#internals.validationMessage;
  }

  checkValidity(): boolean {
    return this.#internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.#internals.reportValidity();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.catching(() => {
      this.#ask();
      // While the endpoint is asked, the controls wait as they do for the manifest.
      if (!this.loaded || this.#remote === null) return;
      const doc = (this.#doc = findDocument(this.loaded, this.document));
      const own = readMarks(doc.slug);
      const marks = this.#remote
        ? withStanding(doc, own, this.#remote, (id) => queued(id) || this.#receipts.has(id!))
        : own;
      const now = standing(doc, marks);
      if (!now.current) throw new Error(`"${doc.slug}" has no version in effect yet`);
      this.#version = now.current;
      const mark: ProvenMark | undefined = now.accepted ? marks.accepted : undefined;
      this.#receipt = mark && (mark.receipt ?? this.#receipts.get(mark.record!));
      // `recorded` asks for proof: an acceptance whose receipt this page cannot have (confirmed
      // on an earlier page, no subject token) is asked for again.
      this.#mark = this.required !== 'recorded' || this.#receipt || queued(mark?.record) ? mark : undefined;
      this.accepted = !!this.#mark;
      if (changed.has('loaded')) this.follow(this.#mark?.record);
    });
  }

  /** Asks the endpoint for the token's subject's standing, once per token. */
  #ask(): void {
    const { endpoint } = this.config;
    const token = this.subjectToken;
    const key = token && endpoint && this.document && `${endpoint} ${token} ${this.document}`;
    if (key === this.#asked) return;
    this.#asked = key;
    this.#remote = key ? null : undefined;
    if (!key) return;
    askStanding(endpoint!, token!, this.document!)
      .then(
        (remote) => key === this.#asked && (this.#remote = remote),
        (error: StandingError) => {
          if (key !== this.#asked) return;
          this.#remote = undefined;
          this.fail(error, { ...error, subjectToken: true });
        },
      )
      .finally(() => this.requestUpdate());
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const title = this.#version?.title ?? this.document;
    const t = this.t;
    this.#internals.setFormValue(this.value || null);
    const unproven = this.required === 'recorded' && !this.#receipt;
    if (this.required && (!this.accepted || unproven))
      this.#internals.setValidity(
        { valueMissing: true },
        format(!this.accepted ? t.required : this.status === 'saving' ? t.recording : t.notRecorded, title),
        this.renderRoot.querySelector<HTMLElement>('input,button') ?? undefined,
      );
    else this.#internals.setValidity({});
  }

  protected override view(): unknown {
    const t = this.t;
    const v = this.#version;
    if (!v && this.state === 'error') return html`<p part="error" role="alert">${t.loadFailed}</p>`;
    const link = html`<a part="link" href=${v ? this.href(v.url) : '#'} target="_blank"
      >${v?.title ?? '…'}</a
    >`;
    if (this.accepted && this.#mark)
      return html`<div part="base" class="panel">
        <p part="notice" tabindex="-1">
          ✓ ${fill(t.acceptedOn, link, this.#mark.version, formatDate(this.#mark.time, this.ui))}
        </p>
        ${this.statusLine()}
      </div>`;
    const control = this.control ?? 'both';
    // With key-clauses, the digest's row is there from the start, so nothing moves when the manifest arrives.
    const clauses = v?.keyClauses ?? [];
    return html`<div part="base" class="panel">
      <p part="notice" tabindex="-1">
        ${fill(t.acceptIntro, link)}
        <span part="version">${format(t.version, v?.version ?? '…')}</span>
      </p>
      ${
        this.keyClauses
          ? html`<details part="digest">
              <summary>${format(t.keyClauses, v ? clauses.length : '…')}</summary>
              <ol>
                ${clauses.map(
                  (c) =>
                    html`<li>
                      <a href=${this.href(v!.url) + '#' + c.anchor} target="_blank">${c.text}</a>
                    </li>`,
                )}
              </ol>
            </details>`
          : nothing
      }
      ${
        control === 'button'
          ? nothing
          : html`<label part="label">
              <input
                part="checkbox"
                type="checkbox"
                .checked=${this.checked}
                ?disabled=${!v}
                ?required=${this.required}
                @change=${(e: Event) => (this.checked = (e.target as HTMLInputElement).checked)}
              />
              <span>${fill(t.agree, v?.title ?? '…')}</span>
            </label>`
      }
      <div class="actions">
        <button
          part="button accept"
          ?disabled=${!v || (control === 'both' && !this.checked)}
          @click=${this.#accept}
        >
          ${this.buttonText || t.accept}
        </button>
        ${
          this.decline
            ? html`<button part="button decline" class="secondary" ?disabled=${!v} @click=${this.#decline}>
                ${t.decline}
              </button>`
            : nothing
        }
      </div>
      ${this.declined ? html`<p>${t.declined}</p>` : nothing} ${this.statusLine()}
    </div>`;
  }

  #accept(event: Event): void {
    if (!this.acceptVersion(event, this.detailOf(this.#doc!, this.#version!))) return;
    this.declined = false;
    this.requestUpdate();
    // The controls are gone: keep keyboard focus in the element, on what replaced them.
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~=notice]')?.focus());
  }

  #decline(event: Event): void {
    const done = this.sendAbout('declined', event, this.detailOf(this.#doc!, this.#version!));
    if (!done) return;
    this.declined = true;
    this.dispatchEvent(new AssentDeclinedEvent(done));
  }

  protected override refused(id: string): void {
    const slug = this.#doc?.slug;
    if (slug && readMarks(slug).accepted?.record === id) {
      writeMarks(slug, { accepted: undefined }, this.config.cookieDomain);
      this.requestUpdate();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-accept': AssentAccept;
  }
}
