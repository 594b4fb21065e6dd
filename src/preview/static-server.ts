/**
 * A small static file server for previewing the built site on 127.0.0.1 (production serves
 * `dist/` from any static host). Folders answer with their index.html; paths cannot leave
 * their folder; nothing is cached, so a rebuild shows at once.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface Mount {
  /** URL path prefix, with slashes at both ends: `/demo/`. */
  prefix: string;
  dir: string;
  /** Rewrites an HTML file before it is sent (the demo fills in the endpoint's address). */
  html?: (html: string) => string;
  /** Sent with every file of this mount (`/assent/` is served cross-origin, as in production). */
  headers?: Record<string, string> | (() => Record<string, string>);
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function startStaticServer(options: {
  host: string;
  port: number;
  mounts: Mount[];
}): Promise<StaticServer> {
  // Longest prefix first, so /demo/ wins over /.
  const mounts = [...options.mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  const server = createServer((request, response) => {
    serve(mounts, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('internal error');
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolvePromise());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}/`,
    close: () =>
      new Promise((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

async function serve(mounts: Mount[], request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  const mount = mounts.find((m) => path.startsWith(m.prefix) || `${path}/` === m.prefix);
  const file = mount && (await resolveFile(mount, path));
  if (!mount || !file) {
    const notFound = mounts.find((m) => m.prefix === '/');
    const page = notFound && (await resolveFile(notFound, '/404.html'));
    response.writeHead(404, { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' });
    if (page && request.method === 'GET') createReadStream(page.path).pipe(response);
    else response.end(request.method === 'GET' ? 'Not found' : undefined);
    return;
  }
  if (file.redirect) {
    response.writeHead(301, { location: file.redirect }).end();
    return;
  }
  const type = TYPES[extname(file.path)] ?? 'application/octet-stream';
  const headers = {
    'content-type': type,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(typeof mount.headers === 'function' ? mount.headers() : mount.headers),
  };
  if (type.startsWith('text/html') && mount.html) {
    const body = mount.html(await readFile(file.path, 'utf8'));
    response.writeHead(200, headers).end(request.method === 'GET' ? body : undefined);
    return;
  }
  response.writeHead(200, headers);
  if (request.method === 'GET') createReadStream(file.path).pipe(response);
  else response.end();
}

async function resolveFile(
  mount: Mount,
  path: string,
): Promise<{ path: string; redirect?: string } | undefined> {
  const root = resolve(mount.dir);
  const relative = normalize(path.slice(mount.prefix.length - 1)).replace(/^[/\\]+/, '');
  const target = resolve(root, relative);
  if (target !== root && !target.startsWith(root + sep)) return undefined;
  try {
    const info = await stat(target);
    if (info.isDirectory()) {
      // /slug → /slug/, as the site's links are written.
      if (!path.endsWith('/')) return { path: target, redirect: `${path}/` };
      const index = join(target, 'index.html');
      return (await stat(index)).isFile() ? { path: index } : undefined;
    }
    return info.isFile() ? { path: target } : undefined;
  } catch {
    return undefined;
  }
}
