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
  text: string;
}

export interface CookieConfig {
  /** Changes whenever categories or cookies change; a stored choice for another revision is asked again. */
  revision: string;
  categories: CookieCategory[];
}

export interface CookieCategory {
  id: string;
  /** `necessary` is always on and cannot be refused. */
  necessary: boolean;
  label: Record<string, string>;
  description: Record<string, string>;
  cookies: CookieDescription[];
}

export interface CookieDescription {
  /** Cookie name, or a prefix ending in `*`. */
  name: string;
  service?: string;
  purpose?: Record<string, string>;
}
