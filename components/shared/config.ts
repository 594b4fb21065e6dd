/**
 * Where the manifest and the record endpoint are. For each setting the element's attribute
 * wins, then `Assent.configure()`, then `<meta name="assent-config" content='{"endpoint": …}'>`;
 * the manifest defaults to `manifest.json` beside the script (the site publishes both in
 * `/assent/`). Relative URLs resolve against the page.
 */
export interface AssentConfig {
  /** Base URL of the record endpoint; records go to `${endpoint}/v1/records`. */
  endpoint?: string;
  /** URL of the site's `manifest.json`. */
  manifest?: string;
  /** Domain for Assent's cookies, e.g. `example.com` so that subdomains share them. */
  cookieDomain?: string;
  /** Days the cookie choice is kept (default 180). */
  cookieDays?: number;
  /** Days a refusal (no optional category granted) is kept; default `cookieDays`. */
  refusalDays?: number;
}

let configured: AssentConfig = {};

/** Page-wide settings for every Assent element; later calls add to earlier ones. */
export function configure(config: AssentConfig): void {
  configured = { ...configured, ...config };
}

function metaConfig(): AssentConfig {
  try {
    return JSON.parse(document.querySelector('meta[name="assent-config"]')?.getAttribute('content') || '{}');
  } catch {
    return {};
  }
}

/** The settings for one element, with URLs absolute. */
export function resolveConfig(own: AssentConfig): AssentConfig & { manifest: string } {
  const config: AssentConfig = { ...metaConfig(), ...configured };
  for (const [key, value] of Object.entries(own)) if (value) (config as Record<string, unknown>)[key] = value;
  const url = (value: string) => new URL(value, document.baseURI).href;
  return {
    ...config,
    manifest: config.manifest ? url(config.manifest) : new URL('manifest.json', import.meta.url).href,
    endpoint: config.endpoint && url(config.endpoint).replace(/\/$/, ''),
  };
}
