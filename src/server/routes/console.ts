/**
 * The operator console at `/console/`: the files `npm run build` bundles into `consoleDir`
 * (dist/console/ by default; see src/site/integrations/console.ts), served with a strict
 * Content-Security-Policy. The page holds no data: it asks the operator routes with the token
 * the operator signs in with, which it keeps in sessionStorage (never in a URL).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { ProblemError } from '../problem.ts';

/**
 * Only its own scripts and styles, requests only to this endpoint, no framing, no forms sent
 * elsewhere, and DOM sinks only through Lit's Trusted Types policy.
 * https://w3c.github.io/webappsec-csp/ , https://w3c.github.io/trusted-types/dist/spec/
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Names the build writes: no folders, no dot files, nothing else. */
const FILE_NAME = /^[a-z0-9-]+(?:\.[a-z0-9]+)*\.(?:html|js|css|map|txt)$/;

export const consoleRoutes: FastifyPluginAsync = async (app) => {
  const folder = resolve(app.config.consoleDir);

  const send = async (name: string) => {
    try {
      return await readFile(join(folder, name));
    } catch {
      throw new ProblemError(
        'not-found',
        name === 'index.html'
          ? `the operator console is not built: ${folder} has no index.html. Run \`npm run build\` (or point consoleDir, ASSENT_CONSOLE_DIR, at a built console)`
          : `no console file ${name}`,
      );
    }
  };
  const headers = {
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    // The page and its script change with each build; a stale one would call routes that moved.
    'cache-control': 'no-cache',
  };

  app.get('/console', async (_request, reply) => reply.redirect('/console/', 308));
  app.get('/console/', async (_request, reply) =>
    reply
      .headers(headers)
      .type(TYPES['.html']!)
      .send(await send('index.html')),
  );
  app.get<{ Params: { file: string } }>('/console/:file', async (request, reply) => {
    const { file } = request.params;
    if (!FILE_NAME.test(file)) throw new ProblemError('not-found', `no console file ${file}`);
    const body = await send(file);
    return reply
      .headers(headers)
      .type(TYPES[file.slice(file.lastIndexOf('.'))]!)
      .send(body);
  });
};
