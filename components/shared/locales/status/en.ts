/**
 * English strings of the save status (controls.ts): shown under the controls of
 * `<assent-accept>`, `<assent-update>` and the cookie preferences dialog once the user has
 * chosen, so they load with those, not before the banner. Every locale has the same keys.
 */
export const statusEn = {
  saving: 'Saving…',
  saved: 'Saved.',
  retrying: 'Not saved yet. Retrying…',
  failed: 'Could not be saved: {0}',
};

export type StatusStrings = typeof statusEn;
