/**
 * The console's look: the components' theme (their `--assent-*` properties, colours, focus
 * ring and buttons, from components/shared/styles.ts) plus tables, forms and charts. Series
 * colours are classes, not inline styles, which the console's CSP forbids; each meets 3:1
 * against the background in light and dark schemes (WCAG 1.4.11).
 */
import { css } from 'lit';
import { baseStyles } from '../../components/shared/styles.ts';

export const consoleStyles = [
  baseStyles,
  css`
    :host {
      display: block;
      --_s0: light-dark(#0b57d0, #a8c7fa);
      --_s1: light-dark(#b3261e, #f2b8b5);
      --_s2: light-dark(#146c2e, #6dd58c);
      --_s3: light-dark(#7c4dff, #d0bcff);
      --_s4: light-dark(#8a5a00, #ffb95c);
    }
    h2 {
      margin: 0 0 0.75rem;
    }
    h3 {
      font-size: 1.05em;
      margin: 1.25rem 0 0.5rem;
    }
    form.filters,
    .controls {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: 0.75rem;
      margin-block-end: 1rem;
    }
    label {
      display: flex;
      flex-direction: column;
      gap: 0.25rem;
      font-size: 0.9em;
    }
    input,
    select {
      font: inherit;
      min-block-size: 2.25em;
      padding: 0.2em 0.5em;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 2);
      background: var(--_bg);
      color: var(--_fg);
    }
    table {
      border-collapse: collapse;
      inline-size: 100%;
      font-size: 0.9em;
      font-variant-numeric: tabular-nums;
    }
    caption {
      text-align: start;
      font-weight: 600;
      padding-block: 0.5rem;
    }
    th,
    td {
      text-align: start;
      padding: 0.35em 0.6em;
      border-block-end: 1px solid var(--_border);
    }
    td.number,
    th.number {
      text-align: end;
    }
    .scroll {
      overflow-x: auto;
    }
    code,
    .hash {
      font-family: ui-monospace, monospace;
      font-size: 0.85em;
      overflow-wrap: anywhere;
    }
    pre {
      overflow: auto;
      max-block-size: 24rem;
      padding: 0.75rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .muted {
      color: var(--_muted);
    }
    [role='alert'] {
      color: light-dark(#b3261e, #f2b8b5);
    }
    .verified {
      color: light-dark(#146c2e, #6dd58c);
    }
    figure {
      margin: 0 0 1.5rem;
    }
    figcaption {
      font-weight: 600;
      margin-block-end: 0.5rem;
    }
    svg.chart {
      inline-size: 100%;
      block-size: auto;
      max-block-size: 18rem;
    }
    svg.chart text {
      fill: var(--_muted);
      font-size: 11px;
    }
    svg.chart line.axis {
      stroke: var(--_border);
    }
    .s0 {
      fill: var(--_s0);
      background: var(--_s0);
    }
    .s1 {
      fill: var(--_s1);
      background: var(--_s1);
    }
    .s2 {
      fill: var(--_s2);
      background: var(--_s2);
    }
    .s3 {
      fill: var(--_s3);
      background: var(--_s3);
    }
    .s4 {
      fill: var(--_s4);
      background: var(--_s4);
    }
    ul.legend {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      list-style: none;
      padding: 0;
      margin: 0.25rem 0;
      font-size: 0.9em;
    }
    ul.legend span {
      display: inline-block;
      inline-size: 0.8em;
      block-size: 0.8em;
      margin-inline-end: 0.35em;
      border-radius: 2px;
      vertical-align: middle;
    }
    details {
      margin-block-start: 0.5rem;
    }
    summary {
      cursor: pointer;
      color: var(--_accent);
    }
    progress {
      inline-size: 100%;
      block-size: 1.25rem;
    }
    form.register {
      display: grid;
      gap: 0.75rem;
      max-inline-size: 40rem;
    }
    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) / 2);
      margin: 0;
    }
    legend {
      font-size: 0.9em;
    }
    label.check {
      flex-direction: row;
      align-items: center;
      gap: 0.35rem;
    }
    label.check input {
      min-block-size: auto;
    }
    [aria-invalid='true'] {
      border-color: light-dark(#b3261e, #f2b8b5);
    }
    .secret {
      padding: 0.75rem 1rem;
      border: 2px solid var(--_accent);
      border-radius: var(--_radius);
      margin-block-end: 1rem;
    }
    .secret input {
      inline-size: 100%;
      box-sizing: border-box;
    }
  `,
];
