/**
 * English strings of the cookie preferences dialog (components/cookies/preferences.ts): they
 * load with the dialog, when it is first opened. Every locale has the same keys.
 */
export const dialogEn = {
  preferencesTitle: 'Cookie preferences',
  save: 'Save choices',
  close: 'Close',
  alwaysOn: 'Always on',
  cookieList: 'Cookies ({0})',
};

export type DialogStrings = typeof dialogEn;
