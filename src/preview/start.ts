/**
 * `npm start`: everything Assent is, on 127.0.0.1, from a fresh clone. Builds the site and the
 * components (the build checks the documents, once, and hands its findings back to be printed
 * here), then runs the policy site, the record endpoint (SQLite in ./data) and the demo
 * partner page, and prints where they are. Ctrl-C stops them all. The demo page has its own
 * port, so it loads the components cross-origin, as every partner's page does: what works
 * in the preview works from a partner's origin.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFinding } from '../content/finding.ts';
import { FINDINGS_FILE_ENV, readFindingsFile } from '../lint/findings-file.ts';
import { astroBuild } from '../site/astro-build.ts';
import { CROSS_ORIGIN_HEADERS } from '../site/integrations/headers.ts';
import {
  listenOnFreePort,
  startPartnerDemo,
  type PartnerDemo,
  type PreviewSiteOptions,
} from './partner-demo.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

export interface StartOptions extends PreviewSiteOptions {
  outDir: string;
  /** How often the endpoint looks for a new manifest, in seconds (default 10). */
  manifestRefreshSeconds?: number;
  /** Prints a progress line. */
  log: (line: string) => void;
}

export interface Preview extends Omit<PartnerDemo, 'close'> {
  siteUrl: string;
  /** Builds the site again, after an editor's change; the endpoint picks up the new manifest. */
  rebuild(): Promise<void>;
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
  try {
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
    const partner = await startPartnerDemo({
      host: options.host,
      siteUrl: site.url,
      demoPort: options.demoPort ?? (options.sitePort ? options.sitePort + 1 : 0),
      endpointPort: options.endpointPort,
      dataDir: options.dataDir,
      manifest: join(options.outDir, 'assent/manifest.json'),
      consoleDir: join(options.outDir, 'console'),
      ...(options.manifestRefreshSeconds ? { manifestRefreshSeconds: options.manifestRefreshSeconds } : {}),
    });
    const running = site;
    return {
      ...partner,
      siteUrl: site.url,
      rebuild: () => buildSite(options),
      close: async () => {
        await running.close();
        await partner.close();
      },
    };
  } catch (error) {
    await site?.close();
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
