import { css } from '../shared/css.ts';

export const cookiesStyles = css`
  :host {
    display: contents;
  }
`;
