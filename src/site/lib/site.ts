import { readCookieConfig, type CookieConfigSource } from '../../content/cookie-config.ts';
import { readSiteConfig, type SiteConfig } from '../../content/site-config.ts';
import { contentDir } from 'virtual:assent/site-data';

let site: Promise<SiteConfig> | undefined;
let cookies: Promise<CookieConfigSource | undefined> | undefined;

/** `<content>/site.json`, read once per build. */
export function siteConfig(): Promise<SiteConfig> {
  site ??= readSiteConfig(contentDir);
  return site;
}

/** `<content>/cookies.json`, read once per build; undefined when the site has none. */
export function cookieConfig(): Promise<CookieConfigSource | undefined> {
  cookies ??= readCookieConfig(contentDir);
  return cookies;
}
