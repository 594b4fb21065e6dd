import { css } from '../shared/index.ts';

export const acceptStyles = css`
  :host {
    display: block;
  }
  [part~='notice'] {
    font-weight: 600;
  }
  /* On a line of its own: when the title arrives, nothing beside it moves. */
  [part~='version'] {
    display: block;
  }
  [part~='digest'] {
    margin-block: 0.5em;
  }
  [part~='digest'] ol {
    margin-block: 0.5em 0;
    padding-inline-start: 1.5em;
    max-block-size: 16em;
    overflow: auto;
  }
  label {
    display: flex;
    gap: 0.5em;
    align-items: flex-start;
  }
  input {
    inline-size: 1.25em;
    block-size: 1.25em;
    margin: 0.15em 0 0;
    flex: none;
    accent-color: var(--_accent);
  }
`;
