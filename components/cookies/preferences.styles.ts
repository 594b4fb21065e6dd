import { css } from '../shared/index.ts';

/** The preferences dialog's own rules, adopted by `<assent-cookies>` when the dialog loads. */
export const preferencesStyles = css`
  [part~='category'] {
    border-block-start: 1px solid var(--_border);
    padding-block: 0.75rem;
  }
  [part~='category'] label {
    display: flex;
    justify-content: space-between;
    align-items: center;
    gap: 1rem;
    font-weight: 600;
  }
  [part~='category'] p,
  [part~='category'] ul {
    color: var(--_muted);
    margin-block: 0.25em 0;
  }
  [role='switch'] {
    inline-size: 1.25em;
    block-size: 1.25em;
    flex: none;
    accent-color: var(--_accent);
  }
`;
