/**
 * `/assent/manifest.json`: what the components and the endpoint read. Its format is the
 * `Manifest` type in src/contract/manifest.ts, described in README ("The manifest").
 */
import type { APIRoute } from 'astro';
import { buildManifest } from '../../lib/manifest.ts';

export const GET: APIRoute = async () =>
  new Response(JSON.stringify(await buildManifest(), null, 2), {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
