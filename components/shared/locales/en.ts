/**
 * English UI strings every element may use: the cookie banner, its dialog and placeholders, and
 * the save status. (`<assent-accept>` and `<assent-update>` add theirs from documents/, which
 * load with them rather than before the banner.) `{0}`, `{1}` are filled by `format()`; every
 * locale has the same keys (`Strings`), so a missing translation is a type error.
 */
export const en = {
  saving: 'Saving…',
  saved: 'Saved.',
  retrying: 'Not saved yet. Retrying…',
  failed: 'Could not be saved: {0}',
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
  /** A gated frame's placeholder: `{0}` names its categories. */
  embedBlocked: 'This content loads only if you allow {0} cookies.',
  loadOnce: 'Load once',
  alwaysAllow: 'Always allow {0}',
};

export type Strings = typeof en;
