/**
 * What the site keeps for each document version: its front matter, its content hash and the
 * outline the pages need. The HTML is kept beside it as the entry's rendered content.
 */
import type { AcceptanceMode, DocumentKind, KeyClause } from '../../contract/manifest.ts';
import type { ChangeReport } from '../../diff/change-report.ts';
import type { TocEntry } from '../../markdown/legal-env.ts';

export interface VersionData extends Record<string, unknown> {
  slug: string;
  version: string;
  /** Source file, relative to the project. */
  file: string;
  title: string;
  kind: DocumentKind;
  locale: string;
  published: string;
  effective: string;
  acceptance: AcceptanceMode;
  summary: string;
  operator?: string;
  contentHash: string;
  toc: TocEntry[];
  keyClauses: KeyClause[];
  /** What changed from the previous published version; null for the first. */
  changes: ChangeReport | null;
}
