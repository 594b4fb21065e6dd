import { css } from '../shared/index.ts';

export const updateStyles = css`
  :host {
    display: contents;
  }
  [part~='upcoming'] {
    border-inline-start: 4px solid var(--_accent);
    padding-inline-start: 0.75em;
  }
`;
