/**
 * What `npm start` and `npm run dev` both run beside the policy site: the demo partner page
 * (its own port, so it loads the components cross-origin, as every partner's page does, under
 * the CSP that README gives partners) and the record endpoint (SQLite in the data folder),
 * which checks records against the site's manifest.
 *
 *   const partner = await startPartnerDemo({ host, siteUrl, manifest: 'dist/assent/manifest.json', … });
 *   console.log(partner.demoUrl, partner.endpointUrl);
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadServerConfig } from '../server/config.ts';
import { startEndpoint, type RunningEndpoint } from '../server/serve.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

export const DEMO_DIR = fileURLToPath(new URL('./demo', import.meta.url));

/** What `npm start` and `npm run dev` are given. */
export interface PreviewSiteOptions {
  host: string;
  sitePort: number;
  endpointPort: number;
  /** The demo partner page's port (another origin); default: the site's port + 1, or any. */
  demoPort?: number;
  dataDir: string;
  contentDir: string;
}

export interface PartnerDemoOptions {
  host: string;
  /** The policy site, where the demo page loads the components from. */
  siteUrl: string;
  /** The demo page's port; taken or 0: any free one. */
  demoPort: number;
  /** The endpoint's port; taken or 0: any free one. */
  endpointPort: number;
  dataDir: string;
  /** The manifest the endpoint checks records against: a file or the site's URL of it. */
  manifest: string;
  /** How often the endpoint looks for a new manifest, in seconds (default 10). */
  manifestRefreshSeconds?: number;
  /** The built operator console, served by the endpoint at /console/. */
  consoleDir: string;
}

export interface PartnerDemo {
  demoUrl: string;
  endpointUrl: string;
  operatorToken: string;
  /** Serves the demo page under another CSP (null: none); it starts under `partnerCsp()`. */
  setDemoCsp(csp: string | null): void;
  /** Stops the endpoint (the site stays up): what a partner's visitors meet during an outage. */
  stopEndpoint(): Promise<void>;
  /** Starts it again at the same address. */
  startEndpoint(): Promise<void>;
  close(): Promise<void>;
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

export async function startPartnerDemo(options: PartnerDemoOptions): Promise<PartnerDemo> {
  const { siteUrl } = options;
  let demo: StaticServer | undefined;
  let endpoint: RunningEndpoint | undefined;
  try {
    let endpointUrl = '';
    let demoCsp: string | null | undefined;
    demo = await listenOnFreePort(options.demoPort, (port) =>
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
    const operatorToken = randomBytes(18).toString('base64url');
    const config = loadServerConfig({
      flags: {
        host: options.host,
        dataDir: options.dataDir,
        manifest: options.manifest,
        consoleDir: options.consoleDir,
        allowedOrigins: [new URL(siteUrl).origin, new URL(demo.url).origin],
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
    const running = { demo, endpoint: endpoint as RunningEndpoint | undefined };
    return {
      demoUrl: `${demo.url}demo/`,
      endpointUrl,
      operatorToken,
      setDemoCsp: (csp) => (demoCsp = csp),
      async stopEndpoint() {
        await running.endpoint?.close();
        running.endpoint = undefined;
      },
      async startEndpoint() {
        running.endpoint ??= await startEndpoint({ ...config, port: endpointPort }, { logger });
      },
      close: async () => {
        await running.demo.close();
        await running.endpoint?.close();
      },
    };
  } catch (error) {
    await demo?.close();
    await endpoint?.close();
    throw error;
  }
}

/** Listens on the preferred port, or on any free one when it is taken. */
export async function listenOnFreePort<T>(
  preferred: number,
  listen: (port: number) => Promise<T>,
): Promise<T> {
  try {
    return await listen(preferred);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return listen(0);
  }
}
