/**
 * Overview: records by type, consent rate per cookie category with the GPC share, and per
 * document the records per version and who has not accepted the version in effect, for a
 * range of days in buckets of a day, a week or a month (`GET /v1/stats`).
 */
import { html, LitElement, nothing } from 'lit';
import type { Stats, StatsBucket, TypeCounts } from '../../contract/stats.ts';
import type { Api } from '../api.ts';
import { stackedBars } from '../chart.ts';
import { consoleStyles } from '../console.styles.ts';
import type { Translate } from '../locales.ts';
import { describeError } from './errors.ts';

const TYPES: Array<keyof TypeCounts> = ['accepted', 'declined', 'acknowledged', 'consent', 'withdrawn'];

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export class ConsoleOverview extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    api: { attribute: false },
    t: { attribute: false },
    from: { state: true },
    to: { state: true },
    bucket: { state: true },
    category: { state: true },
    stats: { state: true },
    error: { state: true },
    loading: { state: true },
  };

  declare api: Api;
  declare t: Translate;
  declare private from: string;
  declare private to: string;
  declare private bucket: StatsBucket;
  declare private category: string;
  declare private stats: Stats | undefined;
  declare private error: string;
  declare private loading: boolean;

  constructor() {
    super();
    this.from = day(-29);
    this.to = day(0);
    this.bucket = 'day';
    this.category = '';
    this.error = '';
    this.loading = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      this.stats = await this.api.stats({ from: this.from, to: this.to, bucket: this.bucket });
      const categories = this.#categories();
      if (!categories.includes(this.category))
        this.category = categories.find((c) => c !== 'necessary') ?? categories[0] ?? '';
    } catch (error) {
      this.error = describeError(error, this.t, this);
    } finally {
      this.loading = false;
    }
  }

  #categories(): string[] {
    return [...new Set(this.stats?.consent.flatMap((p) => Object.keys(p.categories)) ?? [])].sort();
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.from = String(data.get('from'));
    this.to = String(data.get('to'));
    this.bucket = String(data.get('bucket')) as StatsBucket;
    void this.load();
  }

  override render() {
    const { t, stats } = this;
    return html`
      <h2 tabindex="-1">${t('overview.title')}</h2>
      <form class="controls" @submit=${this.#submit}>
        <label>${t('common.from')} <input type="date" name="from" required .value=${this.from} /></label>
        <label>${t('common.to')} <input type="date" name="to" required .value=${this.to} /></label>
        <label
          >${t('overview.bucket')}
          <select name="bucket">
            ${(['day', 'week', 'month'] as const).map(
              (b) =>
                html`<option value=${b} ?selected=${b === this.bucket}>${t(`overview.bucket.${b}`)}</option>`,
            )}
          </select>
        </label>
        <button type="submit">${t('common.apply')}</button>
      </form>
      <p role="status" class="muted">
        ${this.loading ? t('common.loading') : stats ? t('overview.fresh', stats.throughSeq, stats.latestSeq) : ''}
      </p>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${stats ? this.#charts(stats) : nothing}
    `;
  }

  #charts(stats: Stats) {
    const { t } = this;
    const buckets = stats.records.map((r) => r.bucket);
    const category = this.category;
    const share = (granted: number, denied: number) => (granted + denied ? granted / (granted + denied) : 0);
    const consentRecords = stats.consent.reduce((n, p) => n + p.records, 0);
    return html`
      ${stackedBars({
        id: 'by-type',
        title: t('overview.records'),
        buckets,
        series: TYPES.map((type) => ({
          key: type,
          label: t(`type.${type}`),
          values: stats.records.map((r) => r.counts[type]),
        })),
        t,
      })}
      <div class="controls">
        <label
          >${t('overview.category')}
          <select @change=${(e: Event) => (this.category = (e.target as HTMLSelectElement).value)}>
            ${this.#categories().map((c) => html`<option value=${c} ?selected=${c === category}>${c}</option>`)}
          </select>
        </label>
      </div>
      ${
        consentRecords === 0
          ? html`<p>${t('overview.noConsent')}</p>`
          : html`${stackedBars({
              id: 'consent-rate',
              title: t('overview.consent', category),
              buckets,
              percent: true,
              series: (['granted', 'denied'] as const).map((choice) => ({
                key: choice,
                label: t(`overview.${choice}`),
                values: stats.consent.map((p) => {
                  const c = p.categories[category];
                  if (!c) return 0;
                  const granted = share(c.granted, c.denied);
                  return choice === 'granted' ? granted : c.granted + c.denied ? 1 - granted : 0;
                }),
              })),
              t,
            })}
            ${stackedBars({
              id: 'gpc',
              title: t('overview.gpc'),
              buckets,
              percent: true,
              series: [
                {
                  key: 'gpc',
                  label: t('overview.gpcShare'),
                  values: stats.consent.map((p) => (p.records ? p.gpc / p.records : 0)),
                },
              ],
              t,
            })}`
      }
      <h3>${t('overview.documents')}</h3>
      ${stats.documents.map(
        (d) => html`
          <div class="scroll">
            <table>
              <caption>
                ${d.title}
                <span class="muted"
                  >${
                    d.versionInEffect
                      ? t('overview.inEffect', d.versionInEffect, d.knownSubjects, d.pendingSubjects)
                      : t('overview.noVersion')
                  }</span
                >
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t('doc.version')}</th>
                  <th scope="col" class="number">${t('type.accepted')}</th>
                  <th scope="col" class="number">${t('type.acknowledged')}</th>
                  <th scope="col" class="number">${t('type.declined')}</th>
                  <th scope="col" class="number">${t('doc.subjects')}</th>
                </tr>
              </thead>
              <tbody>
                ${d.versions.map(
                  (v) =>
                    html`<tr>
                      <th scope="row">${v.version}</th>
                      <td class="number">${v.accepted}</td>
                      <td class="number">${v.acknowledged}</td>
                      <td class="number">${v.declined}</td>
                      <td class="number">${v.subjects}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>
        `,
      )}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'assent-console-overview': ConsoleOverview;
  }
}
