/**
 * `npm run dev`: the legal editor's loop. The policy site under Astro's dev server (pages,
 * manifest and components follow every save, lint findings show on the page being edited),
 * with the demo partner page and the record endpoint beside it, as `npm start` runs them: the
 * demo page loads the components from the dev server, so they read its live manifest, and
 * the endpoint checks records against that same manifest.
 *
 *   const running = await startDev({ host: '127.0.0.1', sitePort: 4321, endpointPort: 8787, … });
 *   await running.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assentAstroConfig, siteOptionsFromEnv } from '../site/astro-config.ts';
import { startPartnerDemo, type PartnerDemo, type PreviewSiteOptions } from './partner-demo.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface DevOptions extends PreviewSiteOptions {
  /** The dev server's port; when taken, Astro takes the next free one. */
  sitePort: number;
}

export interface DevPreview extends PartnerDemo {
  siteUrl: string;
}

export async function startDev(options: DevOptions): Promise<DevPreview> {
  // Loaded here, not at the top: every `assent` command loads this module, and Astro is big.
  const { dev } = await import('astro');
  const { buildConsole } = await import('../site/integrations/build-console.ts');
  const config = assentAstroConfig({ ...siteOptionsFromEnv(process.env), contentDir: options.contentDir });
  const server = await dev({
    ...config,
    root: projectRoot,
    configFile: false,
    server: { host: options.host, port: options.sitePort },
  });
  // The operator console is not part of the site's pages: bundled once, for this run's endpoint.
  const consoleDir = mkdtempSync(join(tmpdir(), 'assent-dev-console-'));
  const removeConsole = () => rmSync(consoleDir, { recursive: true, force: true });
  try {
    await buildConsole(consoleDir);
    const siteUrl = `http://${options.host}:${server.address.port}/`;
    const partner = await startPartnerDemo({
      host: options.host,
      siteUrl,
      demoPort: options.demoPort ?? server.address.port + 1,
      endpointPort: options.endpointPort,
      dataDir: options.dataDir,
      // Polled twice a second, so that a record made right after an edit is checked against it;
      // polls while nothing changed are answered 304, unrendered (integrations/components.ts).
      manifest: `${siteUrl}assent/manifest.json`,
      manifestRefreshSeconds: 0.5,
      consoleDir,
    });
    return {
      ...partner,
      siteUrl,
      async close() {
        await partner.close();
        await server.stop();
        removeConsole();
      },
    };
  } catch (error) {
    await server.stop();
    removeConsole();
    throw error;
  }
}
