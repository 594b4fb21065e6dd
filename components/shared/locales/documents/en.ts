/**
 * English strings of the document elements (`<assent-accept>`, `<assent-update>`), beside the
 * shared ones (../en.ts): they load with those elements, not before the cookie banner. `{0}`,
 * `{1}` are filled by `format()`; every locale has the same keys (`DocumentStrings`).
 */
export const documentsEn = {
  /** Shown above the accept controls: `{0}` is the document title link. */
  acceptIntro: 'Please read {0} before you continue.',
  version: 'Version {0}',
  agree: 'I have read and agree to the {0}',
  accept: 'Accept and continue',
  decline: 'Decline',
  declined: 'You declined.',
  acceptedOn: 'You accepted {0}, version {1}, on {2}.',
  required: 'Please accept the {0} to continue.',
  /** `required="recorded"`: accepted, the endpoint has not confirmed yet. */
  recording: 'Recording your acceptance of the {0}…',
  notRecorded: 'Not recorded yet: the record service cannot be reached. Please try again shortly.',
  keyClauses: 'Key clauses ({0})',
  loadFailed: 'Could not load this notice.',
  updatedTitle: '{0} has changed',
  upcomingTitle: '{0} will change',
  effectiveOn: 'Version {0} takes effect on {1}.',
  readNew: 'Read the new version',
  readChanges: 'See what changed',
  gotIt: 'Got it',
};

export type DocumentStrings = typeof documentsEn;
