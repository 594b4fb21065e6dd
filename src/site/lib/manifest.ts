import { MANIFEST_SCHEMA_VERSION, type CookieConfig, type Manifest } from '../../contract/manifest.ts';
import type { CookieConfigSource } from '../../content/cookie-config.ts';
import { siteTitle } from '../../content/site-config.ts';
import { siteDocuments } from './documents.ts';
import { cookieConfig, siteConfig } from './site.ts';
import { changesUrl, documentUrl, versionUrl, versionsUrl } from './urls.ts';

/** The manifest for the published versions (see `Manifest` for the format). */
export async function buildManifest(): Promise<Manifest> {
  const config = await siteConfig();
  const documents = await siteDocuments();
  const cookies = await cookieConfig();
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
    ...(cookies
      ? {
          cookies: publishCookies(
            cookies,
            documents.map((d) => d.slug),
          ),
        }
      : {}),
  };
}

function publishCookies(source: CookieConfigSource, slugs: string[]): CookieConfig {
  if (source.policy && !slugs.includes(source.policy)) {
    throw new Error(
      `cookies.json: field \`policy\` names "${source.policy}", which is not a published document (there are: ${slugs.join(', ')})`,
    );
  }
  return {
    revision: source.revision,
    policy: source.policy ? { slug: source.policy, url: documentUrl(source.policy) } : null,
    categories: source.categories,
    googleConsentMode: source.googleConsentMode,
  };
}
