/**
 * The look every element shares. Hosts theme through `--assent-*` custom properties (each with
 * a fallback) and `::part()`; nothing here reaches the host page. Colours meet WCAG AA in light
 * and dark schemes; motion only when the user has not asked for less.
 */
import { css } from './css.ts';

export const baseStyles = css`
  :host {
    /* Light and dark follow the user's setting; a host may pin one with color-scheme. */
    color-scheme: light dark;
    --_bg: var(--assent-background, light-dark(#fff, #1f1f1f));
    --_fg: var(--assent-color, light-dark(#1f1f1f, #ececec));
    --_muted: var(--assent-muted-color, light-dark(#555, #bdbdbd));
    --_accent: var(--assent-accent, light-dark(#0b57d0, #a8c7fa));
    --_on-accent: var(--assent-accent-color, light-dark(#fff, #0a1f44));
    --_border: var(--assent-border-color, light-dark(#767676, #9e9e9e));
    --_radius: var(--assent-radius, 0.5rem);
    color: var(--_fg);
    font: var(--assent-font, inherit);
    line-height: 1.5;
  }
  a {
    color: var(--_accent);
  }
  p {
    margin: 0 0 0.5em;
  }
  h2 {
    font-size: 1.25em;
    margin: 0 2rem 0.5rem 0;
  }
  button {
    font: inherit;
    min-block-size: 2.5em;
    padding: 0.4em 1.2em;
    border: 2px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button:disabled {
    opacity: 0.6;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .panel {
    box-sizing: border-box;
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1rem 1.25rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-block-start: 0.75rem;
  }
  [part~='status'] {
    margin: 0.5em 0 0;
    min-block-size: 1.5em;
    color: var(--_muted);
  }
  .overlay,
  dialog {
    box-shadow: var(--assent-shadow, 0 4px 24px #0004);
  }
  .overlay {
    position: fixed;
    z-index: var(--assent-z-index, 2147483000);
    inset-inline: 1rem;
    inset-block-end: 1rem;
    max-inline-size: 40rem;
    margin-inline: auto;
  }
  dialog {
    /* The user agent keeps it inside the viewport (max-inline-size) and scrollable. */
    inline-size: 40rem;
  }
  @media (prefers-reduced-motion: no-preference) {
    .overlay,
    dialog[open] {
      animation: assent-in 0.2s ease-out;
    }
    @keyframes assent-in {
      from {
        opacity: 0;
      }
    }
  }
`;
