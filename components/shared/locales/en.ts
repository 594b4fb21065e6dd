/**
 * English UI strings. `{0}`, `{1}` are filled by `format()`; every locale has the same keys
 * (`Strings`), so a missing translation is a type error.
 */
export const en = {
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
  saving: 'Saving…',
  saved: 'Saved.',
  retrying: 'Not saved yet. Retrying…',
  failed: 'Could not be saved: {0}',
  loadFailed: 'Could not load this notice.',
  cookiesTitle: 'Cookies',
  cookiesIntro:
    'We use cookies the site needs, and others only if you allow them. You can change this at any time.',
  cookiePolicy: 'Cookie policy',
  gpc: 'Your browser sends Global Privacy Control, and we honour it: {0} start off.',
  /** The same when no category is on by default. */
  gpcOptIn: 'Your browser sends Global Privacy Control, and we honour it: only what you switch on is used.',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  preferences: 'Preferences',
  preferencesTitle: 'Cookie preferences',
  save: 'Save choices',
  close: 'Close',
  alwaysOn: 'Always on',
  cookieList: 'Cookies ({0})',
  updatedTitle: '{0} has changed',
  upcomingTitle: '{0} will change',
  effectiveOn: 'Version {0} takes effect on {1}.',
  readNew: 'Read the new version',
  readChanges: 'See what changed',
  gotIt: 'Got it',
  /** A gated frame's placeholder: `{0}` names its categories. */
  embedBlocked: 'This content loads only if you allow {0} cookies.',
  loadOnce: 'Load once',
  alwaysAllow: 'Always allow {0}',
};

export type Strings = typeof en;
