/**
 * Stacked bars as SVG, drawn with d3-scale and d3-shape (the layout) and Lit (the elements), so
 * the chart is themed by the console's CSS, needs no inline styles under its CSP, and carries
 * its own text alternative: the SVG is one labelled image, and every chart has the same figures
 * as a table beside it (WCAG 1.1.1), which is also how a keyboard or screen-reader user reads
 * exact values.
 *
 *   stackedBars({ id: 'by-type', title: 'Records by type', buckets, series, t })
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { stack } from 'd3-shape';
import { html, svg, type TemplateResult } from 'lit';
import type { Translate } from './locales.ts';

export interface Series {
  key: string;
  label: string;
  values: number[];
}

export interface BarsOptions {
  id: string;
  title: string;
  /** One label per bar (a bucket's first day). */
  buckets: string[];
  series: Series[];
  /** Values are shares from 0 to 1, shown as percentages. */
  percent?: boolean;
  t: Translate;
}

const WIDTH = 720;
const HEIGHT = 220;
const MARGIN = { top: 10, right: 10, bottom: 24, left: 44 };

const percentText = (n: number) => `${(n * 100).toFixed(1)} %`;

export function stackedBars({ id, title, buckets, series, percent = false, t }: BarsOptions): TemplateResult {
  const rows = buckets.map((bucket, i) => Object.fromEntries(series.map((s) => [s.key, s.values[i] ?? 0])));
  const layers = stack<Record<string, number>>().keys(series.map((s) => s.key))(rows);
  const top = Math.max(percent ? 1 : 1, ...layers.flatMap((layer) => layer.map((point) => point[1])));
  const x = scaleBand<number>()
    .domain(buckets.map((_, i) => i))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .padding(0.15);
  const y = scaleLinear()
    .domain([0, top])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const ticks = y.ticks(4);
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  const value = (n: number) => (percent ? percentText(n) : String(n));
  const summary = series.map((s) => `${s.label}: ${value(s.values.reduce((a, b) => a + b, 0))}`).join(', ');

  return html`
    <figure aria-labelledby="${id}-title">
      <figcaption id="${id}-title">${title}</figcaption>
      <ul class="legend" aria-hidden="true">
        ${series.map((s, i) => html`<li><span class="s${i % 5}"></span>${s.label}</li>`)}
      </ul>
      <svg
        class="chart"
        viewBox="0 0 ${WIDTH} ${HEIGHT}"
        role="img"
        aria-label="${title}. ${percent ? '' : `${t('overview.total')}: ${summary}`}"
      >
        ${ticks.map(
          (tick) => svg`
            <line class="axis" x1=${MARGIN.left} x2=${WIDTH - MARGIN.right} y1=${y(tick)} y2=${y(tick)}></line>
            <text x=${MARGIN.left - 6} y=${y(tick) + 4} text-anchor="end">${percent ? `${Math.round(tick * 100)}%` : tick}</text>`,
        )}
        ${layers.map(
          (layer, s) => svg`<g class="s${s % 5}">
            ${layer.map(
              (point, i) => svg`<rect x=${x(i)!} width=${x.bandwidth()} y=${y(point[1])}
                height=${Math.max(0, y(point[0]) - y(point[1]))}></rect>`,
            )}
          </g>`,
        )}
        ${buckets.map((bucket, i) =>
          i % labelEvery === 0
            ? svg`<text x=${x(i)! + x.bandwidth() / 2} y=${HEIGHT - 6} text-anchor="middle">${bucket.slice(5)}</text>`
            : '',
        )}
      </svg>
      <details>
        <summary>${t('common.table')}</summary>
        <div class="scroll">
          <table>
            <caption>
              ${title}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('overview.bucketColumn')}</th>
                ${series.map((s) => html`<th scope="col" class="number">${s.label}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${buckets.map(
                (bucket, i) =>
                  html`<tr>
                    <th scope="row">${bucket}</th>
                    ${series.map((s) => html`<td class="number">${value(s.values[i] ?? 0)}</td>`)}
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  `;
}
