/**
 * What a static host must send with `/assent/*` so that partner pages on other origins can use
 * it. Module scripts and `fetch()` are CORS requests: without `Access-Control-Allow-Origin` the
 * browser refuses `assent.js` and `manifest.json` cross-origin, and nothing on the partner's
 * page says why. `Cross-Origin-Resource-Policy` lets pages that set
 * `Cross-Origin-Embedder-Policy: require-corp` load it too.
 *
 *   headersFile() // → "/assent/*\n  Access-Control-Allow-Origin: *\n  …"
 */

/** Sent with every file under `/assent/`, in production and by the preview server. */
export const CROSS_ORIGIN_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * Production caching for `/assent/*`. The files keep their names from build to build
 * (partners' script tags point at them), so they are cached briefly, not "immutable": a new
 * version in the manifest reaches partner pages within five minutes of a publish.
 */
export const ASSENT_CACHE_CONTROL = 'public, max-age=300';

/** `_headers` for Netlify and Cloudflare Pages (https://docs.netlify.com/routing/headers/). */
export function headersFile(): string {
  const headers = { ...CROSS_ORIGIN_HEADERS, 'Cache-Control': ASSENT_CACHE_CONTROL };
  return `/assent/*\n${Object.entries(headers)
    .map(([name, value]) => `  ${name}: ${value}\n`)
    .join('')}`;
}
