/**
 * The manifest (`/assent/manifest.json`): the one contract between the static site, the
 * components and the record endpoint. Plain types only, so browser and Node code share them.
 *
 * Dates are calendar dates (`YYYY-MM-DD`); URLs are site-relative and resolve against the
 * manifest's own URL. Versions are listed oldest first. A change that breaks readers bumps
 * `schemaVersion`; adding an optional field does not.
 */

export const MANIFEST_SCHEMA_VERSION = 1;

export const DOCUMENT_KINDS = ['agreement', 'privacy', 'cookies', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const ACCEPTANCE_MODES = ['required', 'notice'] as const;
/** `required`: users must accept the version again; `notice`: users are told about it. */
export type AcceptanceMode = (typeof ACCEPTANCE_MODES)[number];

export interface Manifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  /** When the site was built (ISO 8601). */
  generated: string;
  site: { title: string };
  documents: ManifestDocument[];
  /** Cookie categories for `<assent-cookies>`, when the site configures them. */
  cookies?: CookieConfig;
}

export interface ManifestDocument {
  slug: string;
  /** Title of the latest version. */
  title: string;
  kind: DocumentKind;
  /** BCP 47 language tag of the text, e.g. `zh-CN`. */
  locale: string;
  /** The company that publishes the document, when named. */
  operator?: string;
  /** Page showing the version in effect. */
  url: string;
  /** Page listing every version. */
  versionsUrl: string;
  /** Oldest first, by effective date. */
  versions: ManifestVersion[];
}

export interface ManifestVersion {
  /** The effective date, which names the version. */
  version: string;
  title: string;
  published: string;
  effective: string;
  acceptance: AcceptanceMode;
  /** What changed, in the editor's words. */
  summary: string;
  url: string;
  /** Changes from the previous version; null for the first one. */
  changesUrl: string | null;
  /** `sha256:<hex>` of the source as shown; see README, "Content hash". */
  contentHash: string;
  /** Every bold passage, in order, with the anchor of its clause. */
  keyClauses: KeyClause[];
}

export interface KeyClause {
  /** Fragment id on the version page, without `#`. */
  anchor: string;
  /** The number of the clause it is in, as written (`2.3`, `（1）`), when that clause has one. */
  clause?: string;
  text: string;
}

export const COOKIE_MODES = ['necessary', 'opt-in', 'opt-out'] as const;
/**
 * `necessary`: always on, cannot be refused. `opt-in`: off until the user grants it.
 * `opt-out`: on unless the user refuses it, where the law allows that; off when the browser
 * sends Global Privacy Control.
 */
export type CookieMode = (typeof COOKIE_MODES)[number];

/** Text in several languages, keyed by BCP 47 tag: `{ "zh-CN": "分析", "en": "Analytics" }`. */
export type LocalizedText = Record<string, string>;

export interface CookieConfig {
  /**
   * Named by the editor and changed whenever what is asked changes (categories, cookies,
   * purposes); a choice stored for another revision is asked again.
   */
  revision: string;
  /** The document that explains cookies (its page is linked from the banner). */
  policy: { slug: string; url: string } | null;
  categories: CookieCategory[];
  /**
   * Google Consent Mode v2 signals and the categories that must all be granted for each,
   * e.g. `{ "analytics_storage": ["analytics"], "ad_user_data": ["marketing"] }`.
   */
  googleConsentMode: Record<string, string[]>;
}

export interface CookieCategory {
  /** Lowercase id, used in choices and in `data-assent-category`: `analytics`. */
  id: string;
  mode: CookieMode;
  label: LocalizedText;
  description: LocalizedText;
  cookies: CookieDescription[];
}

export interface CookieDescription {
  /** Cookie name, or a prefix ending in `*`: `_ga_*`. */
  name: string;
  /** Who sets it: `Google Analytics`. */
  service?: string;
  purpose?: LocalizedText;
  /** How long it lasts, in words: `2 years`. */
  duration?: LocalizedText;
}
