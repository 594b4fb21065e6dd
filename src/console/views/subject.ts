/**
 * Subject: every record of one subject (the right of access), found by the id in clear under
 * every key version (`POST /v1/subject-records`), downloadable as JSON and CSV.
 */
import { html, LitElement, nothing } from 'lit';
import type { StoredRecord } from '../../contract/record.ts';
import { saveFile, type Api } from '../api.ts';
import { consoleStyles } from '../console.styles.ts';
import type { Translate } from '../locales.ts';
import { describeError } from './errors.ts';

export class ConsoleSubject extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    api: { attribute: false },
    t: { attribute: false },
    subject: { state: true },
    records: { state: true },
    error: { state: true },
    loading: { state: true },
  };

  declare api: Api;
  declare t: Translate;
  declare private subject: string;
  declare private records: StoredRecord[] | undefined;
  declare private error: string;
  declare private loading: boolean;

  constructor() {
    super();
    this.subject = '';
    this.error = '';
    this.loading = false;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const subject = String(new FormData(event.target as HTMLFormElement).get('subject') ?? '').trim();
    if (!subject) return;
    this.loading = true;
    this.error = '';
    try {
      this.records = (await this.api.subject(subject)).records;
      this.subject = subject;
    } catch (error) {
      this.error = describeError(error, this.t, this);
    } finally {
      this.loading = false;
    }
  }

  /** The file comes from the endpoint, which streams it, not from the records shown here. */
  async #save(format: 'json' | 'csv'): Promise<void> {
    try {
      saveFile(await this.api.subjectFile(this.subject, format), `subject-records.${format}`);
    } catch (error) {
      this.error = describeError(error, this.t, this);
    }
  }

  override render() {
    const { t, records } = this;
    return html`
      <h2 tabindex="-1">${t('subject.title')}</h2>
      <p>${t('subject.intro')}</p>
      <form class="filters" @submit=${this.#submit}>
        <label>${t('subject.id')} <input name="subject" required maxlength="256" autocomplete="off" /></label>
        <button type="submit">${t('subject.search')}</button>
      </form>
      <p role="status" class="muted">
        ${
          this.loading
            ? t('common.loading')
            : records
              ? records.length
                ? t('subject.count', records.length)
                : t('subject.none')
              : ''
        }
      </p>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${
        records?.length
          ? html`
              <div class="actions">
                <button class="secondary" @click=${() => this.#save('json')}>${t('subject.json')}</button>
                <button class="secondary" @click=${() => this.#save('csv')}>${t('subject.csv')}</button>
              </div>
              <div class="scroll">
                <table>
                  <caption>
                    ${t('subject.title')}: ${this.subject}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col" class="number">${t('records.seq')}</th>
                      <th scope="col">${t('records.time')}</th>
                      <th scope="col">${t('records.type')}</th>
                      <th scope="col">${t('records.document')}</th>
                      <th scope="col">${t('records.origin')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${records.map(
                      (r) =>
                        html`<tr>
                          <td class="number">${r.seq}</td>
                          <td>${r.serverTime}</td>
                          <td>${t(`type.${r.type}`)}</td>
                          <td>${r.document ? `${r.document.slug} ${r.document.version}` : ''}</td>
                          <td>${r.shown.pageOrigin}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
            `
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-console-subject': ConsoleSubject;
  }
}
