/**
 * `npm start`: everything Assent is, on 127.0.0.1, from a fresh clone. Builds the site and the
 * components (the build checks the documents, once, and hands its findings back to be printed
 * here), then runs the policy site, the record endpoint (SQLite in ./data) and the demo
 * partner page, and prints where they are. Ctrl-C stops them all. The demo page has its own
 * port, so it loads the components cross-origin, as every partner's page does: what works
 * in the preview works from a partner's origin.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFinding } from '../content/finding.ts';
import { FINDINGS_FILE_ENV, readFindingsFile } from '../lint/findings-file.ts';
import { loadServerConfig } from '../server/config.ts';
import { startEndpoint, type RunningEndpoint } from '../server/serve.ts';
import { astroBuild } from '../site/astro-build.ts';
import { CROSS_ORIGIN_HEADERS } from '../site/integrations/headers.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

export const DEMO_DIR = fileURLToPath(new URL('./demo', import.meta.url));

export interface StartOptions {
  host: string;
  sitePort: number;
  endpointPort: number;
  /** The demo partner page's port (another origin); default: the site's port + 1, or any. */
  demoPort?: number;
  dataDir: string;
  contentDir: string;
  outDir: string;
  /** How often the endpoint looks for a new manifest, in seconds (default 10). */
  manifestRefreshSeconds?: number;
  /** Prints a progress line. */
  log: (line: string) => void;
}

/**
 * The Content-Security-Policy that README gives partners, with Trusted Types: the demo page is
 * served under it, so the preview shows that the components need nothing looser.
 */
export function partnerCsp(siteUrl: string, endpointUrl: string): string {
  const site = new URL(siteUrl).origin;
  return [
    "default-src 'self'",
    `script-src 'self' ${site}`,
    "style-src 'self'",
    `connect-src 'self' ${site} ${new URL(endpointUrl).origin}`,
    "require-trusted-types-for 'script'",
  ].join('; ');
}

export interface Preview {
  siteUrl: string;
  demoUrl: string;
  endpointUrl: string;
  operatorToken: string;
  /** Serves the demo page under another CSP (null: none); it starts under `partnerCsp()`. */
  setDemoCsp(csp: string | null): void;
  /** Builds the site again, after an editor's change; the endpoint picks up the new manifest. */
  rebuild(): Promise<void>;
  /** Stops the endpoint (the site stays up): what a partner's visitors meet during an outage. */
  stopEndpoint(): Promise<void>;
  /** Starts it again at the same address. */
  startEndpoint(): Promise<void>;
  close(): Promise<void>;
}

export class StartError extends Error {}

/** Runs the steps; each prints a line. Throws StartError with what to fix when a step fails. */
export async function startPreview(options: StartOptions): Promise<Preview> {
  const { log } = options;
  log('[1/2] Checking the documents, building the policy site and the components (astro build)');
  await buildSite(options);

  log('[2/2] Starting the record endpoint and the preview server');
  let site: StaticServer | undefined;
  let demo: StaticServer | undefined;
  let endpoint: RunningEndpoint | undefined;
  try {
    let endpointUrl = '';
    site = await listenOnFreePort(options.sitePort, (port) =>
      startStaticServer({
        host: options.host,
        port,
        mounts: [
          { prefix: '/', dir: options.outDir },
          { prefix: '/assent/', dir: join(options.outDir, 'assent'), headers: CROSS_ORIGIN_HEADERS },
        ],
      }),
    );
    const siteUrl = site.url;
    let demoCsp: string | null | undefined;
    demo = await listenOnFreePort(options.demoPort ?? (options.sitePort ? options.sitePort + 1 : 0), (port) =>
      startStaticServer({
        host: options.host,
        port,
        mounts: [
          {
            prefix: '/demo/',
            dir: DEMO_DIR,
            html: (html) =>
              html.replaceAll('%ASSENT_ENDPOINT%', endpointUrl).replaceAll('%ASSENT_SITE%', siteUrl),
            headers: (): Record<string, string> => {
              const csp = demoCsp === undefined ? partnerCsp(siteUrl, endpointUrl) : demoCsp;
              return csp ? { 'content-security-policy': csp } : {};
            },
          },
        ],
      }),
    );
    const siteOrigin = new URL(site.url).origin;
    const demoOrigin = new URL(demo.url).origin;
    const operatorToken = randomBytes(18).toString('base64url');
    const config = loadServerConfig({
      flags: {
        host: options.host,
        dataDir: options.dataDir,
        manifest: join(options.outDir, 'assent/manifest.json'),
        consoleDir: join(options.outDir, 'console'),
        allowedOrigins: [siteOrigin, demoOrigin],
        operatorToken,
        ...(options.manifestRefreshSeconds ? { manifestRefreshSeconds: options.manifestRefreshSeconds } : {}),
      },
    });
    const logger = { level: process.env.ASSENT_LOG_LEVEL ?? 'warn' };
    endpoint = await listenOnFreePort(options.endpointPort, (port) =>
      startEndpoint({ ...config, port }, { logger }),
    );
    endpointUrl = endpoint.url;
    // Restarts keep the address the pages were given.
    const endpointPort = Number(new URL(endpoint.url).port);
    const running = { site, demo, endpoint: endpoint as RunningEndpoint | undefined };
    return {
      siteUrl: site.url,
      demoUrl: `${demo.url}demo/`,
      endpointUrl,
      operatorToken,
      setDemoCsp: (csp) => (demoCsp = csp),
      rebuild: () => buildSite(options),
      async stopEndpoint() {
        await running.endpoint?.close();
        running.endpoint = undefined;
      },
      async startEndpoint() {
        running.endpoint ??= await startEndpoint({ ...config, port: endpointPort }, { logger });
      },
      close: async () => {
        await running.site.close();
        await running.demo.close();
        await running.endpoint?.close();
      },
    };
  } catch (error) {
    await site?.close();
    await demo?.close();
    await endpoint?.close();
    throw error;
  }
}

/**
 * Runs `astro build`. Its content loader lints every document and writes the findings to a
 * file for us: they are printed here once, as file:line:column, and errors stop the start.
 */
async function buildSite(options: StartOptions): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'assent-start-'));
  const findingsFile = join(work, 'findings.json');
  try {
    const { code, output } = await astroBuild({
      outDir: options.outDir,
      env: { ASSENT_CONTENT_DIR: options.contentDir, [FINDINGS_FILE_ENV]: findingsFile },
    });
    const findings = (await readFindingsFile(findingsFile)) ?? [];
    for (const f of findings) options.log(`      ${formatFinding(f)}`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (errors > 0) {
      throw new StartError(
        `the documents have ${errors} error${errors === 1 ? '' : 's'} (above, as file:line:column); fix them and run npm start again`,
      );
    }
    if (code !== 0) {
      options.log(output.trimEnd());
      throw new StartError('the site did not build (Astro said why, above)');
    }
    const pages = /(\d+) page\(s\) built in ([\d.]+\s*m?s)/.exec(output);
    options.log(`      ${pages ? `${pages[1]} pages in ${pages[2]}` : 'built'}, into ${options.outDir}/`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Listens on the preferred port, or on any free one when it is taken. */
async function listenOnFreePort<T>(preferred: number, listen: (port: number) => Promise<T>): Promise<T> {
  try {
    return await listen(preferred);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return listen(0);
  }
}
