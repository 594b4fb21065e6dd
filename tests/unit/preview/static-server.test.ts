import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../../src/preview/static-server.ts';
import { CROSS_ORIGIN_HEADERS } from '../../../src/site/integrations/headers.ts';

let server: StaticServer;
let csp = "default-src 'self'";
let base: string;
beforeAll(async () => {
  const site = mkdtempSync(join(tmpdir(), 'assent-site-'));
  mkdirSync(join(site, 'terms'));
  writeFileSync(join(site, 'terms/index.html'), '<p>terms</p>');
  writeFileSync(join(site, '404.html'), '<p>not here</p>');
  writeFileSync(join(site, 'app.js'), 'export {}');
  mkdirSync(join(site, 'assent'));
  writeFileSync(join(site, 'assent/assent.js'), 'export {}');
  const demo = mkdtempSync(join(tmpdir(), 'assent-demo-'));
  writeFileSync(join(demo, 'index.html'), '<meta content="%X%">');
  server = await startStaticServer({
    host: '127.0.0.1',
    port: 0,
    mounts: [
      { prefix: '/', dir: site },
      { prefix: '/assent/', dir: join(site, 'assent'), headers: CROSS_ORIGIN_HEADERS },
      {
        prefix: '/demo/',
        dir: demo,
        html: (html) => html.replace('%X%', 'filled'),
        headers: () => ({ 'content-security-policy': csp }),
      },
    ],
  });
  base = server.url;
});
afterAll(() => server.close());

const get = (path: string) => fetch(new URL(path, base), { redirect: 'manual' });

describe('preview server', () => {
  it('serves a folder’s index.html with its type, and redirects to the slash form', async () => {
    const page = await get('/terms/');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('<p>terms</p>');
    const redirect = await get('/terms');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/terms/');
    expect((await get('/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('fills in the demo page', async () => {
    expect(await (await get('/demo/')).text()).toBe('<meta content="filled">');
  });

  it('serves /assent/ to every origin, as the build tells static hosts to, and the rest of the site as before', async () => {
    const bundle = await get('/assent/assent.js');
    expect(bundle.headers.get('access-control-allow-origin')).toBe('*');
    expect(bundle.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await get('/terms/')).headers.get('access-control-allow-origin')).toBe(null);
  });

  it('asks a mount for its headers on every request', async () => {
    expect((await get('/demo/')).headers.get('content-security-policy')).toBe("default-src 'self'");
    csp = "default-src 'none'";
    expect((await get('/demo/')).headers.get('content-security-policy')).toBe("default-src 'none'");
  });

  it('answers 404 with the site’s page, and never leaves its folders', async () => {
    const missing = await get('/nothing/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('<p>not here</p>');
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await get('/demo/..%2f..%2fetc%2fpasswd')).status).toBe(404);
  });
});
