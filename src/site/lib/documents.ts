/**
 * The documents as the pages see them: versions grouped by slug, oldest first (the loader
 * keeps only those published by the build date), with the one in effect and the announced ones.
 */
import { getCollection } from 'astro:content';
import { timeline } from '../../contract/versions.ts';
import { buildDate } from 'virtual:assent/site-data';
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
}

let cached: Promise<SiteDocument[]> | undefined;

export function siteDocuments(): Promise<SiteDocument[]> {
  cached ??= load();
  return cached;
}

async function load(): Promise<SiteDocument[]> {
  const entries = await getCollection('versions');
  const bySlug = new Map<string, Array<{ data: VersionData; html: string }>>();
  for (const entry of entries) {
    const { data } = entry;
    const list = bySlug.get(data.slug) ?? [];
    list.push({ data, html: entry.rendered?.html ?? '' });
    bySlug.set(data.slug, list);
  }
  return [...bySlug.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([slug, list]) => {
      list.sort((a, b) => a.data.version.localeCompare(b.data.version));
      const versions = list.map((v, i) => ({ ...v, previous: list[i - 1]?.data }));
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
      };
    });
}
