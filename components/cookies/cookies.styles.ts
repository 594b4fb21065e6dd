import { css } from '../shared/index.ts';

export const cookiesStyles = css`
  :host {
    display: contents;
  }
`;
