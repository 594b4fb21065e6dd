import { MANIFEST_SCHEMA_VERSION, type Manifest } from '../../contract/manifest.ts';
import { siteTitle } from '../../content/site-config.ts';
import { siteDocuments } from './documents.ts';
import { siteConfig } from './site.ts';
import { changesUrl, documentUrl, versionUrl, versionsUrl } from './urls.ts';

/** The manifest for the published versions (see `Manifest` for the format). */
export async function buildManifest(): Promise<Manifest> {
  const config = await siteConfig();
  const documents = await siteDocuments();
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    generated: new Date().toISOString(),
    site: { title: siteTitle(config, config.locale) },
    documents: documents.map(({ slug, latest, versions }) => ({
      slug,
      title: latest.title,
      kind: latest.kind,
      locale: latest.locale,
      ...(latest.operator ? { operator: latest.operator } : {}),
      url: documentUrl(slug),
      versionsUrl: versionsUrl(slug),
      versions: versions.map(({ data: v, previous }) => ({
        version: v.version,
        title: v.title,
        published: v.published,
        effective: v.effective,
        acceptance: v.acceptance,
        summary: v.summary,
        url: versionUrl(slug, v.version),
        changesUrl: previous ? changesUrl(slug, previous.version, v.version) : null,
        contentHash: v.contentHash,
        keyClauses: v.keyClauses,
      })),
    })),
  };
}
