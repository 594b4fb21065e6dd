/** Fetches the manifest once per URL for every element on the page. */
import type { Manifest } from '../../src/contract/manifest.ts';

const manifests = new Map<string, Promise<Manifest>>();

export function loadManifest(url: string): Promise<Manifest> {
  let loading = manifests.get(url);
  if (!loading) {
    // A CORS refusal, a CSP block and a site that is down all reject the same TypeError.
    loading = fetch(url, { credentials: 'omit' }).then(
      async (response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        const manifest = (await response.json()) as Manifest;
        if (manifest?.schemaVersion !== 1) throw new Error(`${url}: not an Assent manifest`);
        return manifest;
      },
      () => {
        throw new Error(
          `${url} could not be loaded: the site may be down, send no Access-Control-Allow-Origin, or be blocked by the page's Content-Security-Policy (connect-src)`,
        );
      },
    );
    loading.catch(() => manifests.delete(url));
    manifests.set(url, loading);
  }
  return loading;
}
