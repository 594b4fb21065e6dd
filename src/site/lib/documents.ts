/**
 * The documents as the pages see them: versions grouped by slug, oldest first (the loader
 * keeps only those published by the build date), with the one in effect and the announced ones.
 */
import { createHash } from 'node:crypto';
import { getCollection } from 'astro:content';
import { timeline } from '../../contract/versions.ts';
import { buildDate } from 'virtual:assent/site-data';
import { siteConfig } from './site.ts';
import type { VersionData } from './version-data.ts';

export interface VersionEntry {
  data: VersionData;
  html: string;
  /** The version before this one, whose changes page leads here. */
  previous: VersionData | undefined;
}

export interface SiteDocument {
  slug: string;
  /** Front matter of the latest published version. */
  latest: VersionData;
  versions: VersionEntry[];
  current: VersionEntry | undefined;
  upcoming: VersionEntry[];
  /**
   * Changes whenever anything a page of this document shows may change: its versions (each
   * entry's digest covers its file, the version before it and the rendering code), the build
   * date, the site configuration. Astro's incremental build (`experimental.incrementalBuild`)
   * copies the last build's page while it is unchanged, and its own hash of the page's code.
   */
  cacheKey: string;
}

let cached: Promise<SiteDocument[]> | undefined;

export function siteDocuments(): Promise<SiteDocument[]> {
  cached ??= load();
  return cached;
}

async function load(): Promise<SiteDocument[]> {
  const entries = await getCollection('versions');
  const site = JSON.stringify(await siteConfig());
  const bySlug = new Map<string, Array<{ data: VersionData; html: string; digest: string }>>();
  for (const entry of entries) {
    const { data } = entry;
    const list = bySlug.get(data.slug) ?? [];
    // Every entry the loader stores has a digest; without one (never), the data stands for it.
    const digest = String((entry as { digest?: string | number }).digest ?? JSON.stringify(data));
    list.push({ data, html: entry.rendered?.html ?? '', digest });
    bySlug.set(data.slug, list);
  }
  return [...bySlug.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([slug, list]) => {
      list.sort((a, b) => a.data.version.localeCompare(b.data.version));
      const versions = list.map(({ data, html }, i) => ({ data, html, previous: list[i - 1]?.data }));
      const cacheKey = createHash('sha256')
        .update(JSON.stringify([buildDate, site, list.map((v) => [v.data.version, v.digest])]))
        .digest('hex');
      const { current, upcoming } = timeline(
        versions.map((v) => ({ ...v.data, entry: v })),
        buildDate,
      );
      return {
        slug,
        latest: versions[versions.length - 1]!.data,
        versions,
        current: current?.entry,
        upcoming: upcoming.map((u) => u.entry),
        cacheKey,
      };
    });
}
