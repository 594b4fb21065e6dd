/**
 * English strings of a gated frame's placeholder (components/cookies/gate.ts): they load with
 * the gate, after the banner. Every locale has the same keys.
 */
export const placeholderEn = {
  /** `{0}` names the frame's categories. */
  embedBlocked: 'This content loads only if you allow {0} cookies.',
  loadOnce: 'Load once',
  alwaysAllow: 'Always allow {0}',
};

export type PlaceholderStrings = typeof placeholderEn;
