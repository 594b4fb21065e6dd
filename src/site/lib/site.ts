import { readSiteConfig, type SiteConfig } from '../../content/site-config.ts';
import { contentDir } from './content-dir.ts';

let cached: Promise<SiteConfig> | undefined;

/** `<content>/site.json`, read once per build. */
export function siteConfig(): Promise<SiteConfig> {
  cached ??= readSiteConfig(contentDir);
  return cached;
}
