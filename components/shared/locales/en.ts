/**
 * English UI strings on the path to the first paint: the cookie banner's. The chunks loaded
 * later bring their own, in the folders beside this file: documents/ (`<assent-accept>`,
 * `<assent-update>`), dialog/ (the preferences dialog), placeholder/ (a gated frame's
 * placeholder), status/ (whether a record is saved). `{0}`, `{1}` are filled by `format()`; every
 * locale has the same keys (`Strings`), so a missing translation is a type error.
 */
export const en = {
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
};

export type Strings = typeof en;
