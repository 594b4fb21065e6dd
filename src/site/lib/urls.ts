/**
 * Every URL the site links to, in one place, honouring Astro's `base`:
 * `versionUrl('privacy', '2020-12-01')` → `/privacy/2020-12-01/`.
 */
const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');

export const homeUrl = () => base;
export const documentUrl = (slug: string) => `${base}${slug}/`;
export const versionUrl = (slug: string, version: string) => `${base}${slug}/${version}/`;
export const versionsUrl = (slug: string) => `${base}${slug}/versions/`;
export const changesUrl = (slug: string, from: string, to: string) =>
  `${base}${slug}/changes/${from}...${to}/`;
export const manifestUrl = () => `${base}assent/manifest.json`;
