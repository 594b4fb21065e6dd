/**
 * The one place that finds and starts Chromium, for every tool here: the end-to-end tests
 * (playwright-core), the browser tests (@web/test-runner) and `npm run screenshots`.
 *
 * Which browser, first match wins:
 *   1. `ASSENT_CHROME=/path/to/chrome`, when a developer wants a particular one;
 *   2. a Chrome or Chromium installed where systems put it;
 *   3. the Chromium that `@sparticuz/chromium` ships inside its npm package, so that a fresh
 *      machine needs nothing but `npm install` (it unpacks itself into the temp folder once).
 *
 * Usage:
 *   const chromium = await findChromium();
 *   console.log(chromium.description);   // "browser: Chromium from /usr/bin/chromium (system)"
 *   await playwright.chromium.launch({ ...chromium.launchOptions, headless: true });
 */
import { accessSync, constants } from 'node:fs';

export interface Chromium {
  /** What `launch()` of playwright-core or puppeteer-core needs. */
  launchOptions: { executablePath: string; args: string[] };
  /** Where it came from: the variable, the system, or the npm package. */
  source: 'ASSENT_CHROME' | 'system' | '@sparticuz/chromium';
  /** One line for a test run's log, naming the browser it launched. */
  description: string;
}

/** Where Debian, Ubuntu, Fedora, Arch and Google's packages put the browser. */
const SYSTEM_LOCATIONS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
];

/**
 * Flags for every launch. Without the background-networking ones Chromium keeps trying to reach
 * Google's services, which a closed network refuses; `--no-sandbox` because tests may run as
 * root in a container, where Chromium's sandbox cannot start.
 *
 * The npm package's own `args` are deliberately not used: they are tuned for AWS Lambda and
 * include `--disable-web-security` and `--allow-running-insecure-content`, which would turn off
 * the same-origin policy and CSP behaviour that the components are tested under.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

let found: Promise<Chromium> | undefined;

/** Finds the browser once per process (unpacking the npm package's copy the first time). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<Chromium> {
  return (found ??= locate(env));
}

async function locate(env: NodeJS.ProcessEnv): Promise<Chromium> {
  const chosen = env.ASSENT_CHROME?.trim();
  if (chosen) {
    if (!isExecutable(chosen)) {
      throw new Error(
        `ASSENT_CHROME=${chosen} is not an executable file: point it at a Chrome or Chromium binary, or unset it to use the system's or the npm package's.`,
      );
    }
    return described(chosen, 'ASSENT_CHROME');
  }
  const system = SYSTEM_LOCATIONS.find(isExecutable);
  if (system) return described(system, 'system');
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return described(await packaged.executablePath(), '@sparticuz/chromium');
  } catch (error) {
    throw new Error(
      `No Chromium found: none at ${SYSTEM_LOCATIONS.join(', ')}, and the @sparticuz/chromium package could not unpack its own (${(error as Error).message}). Run \`npm install\`, or set ASSENT_CHROME to a Chrome or Chromium binary.`,
    );
  }
}

function described(executablePath: string, source: Chromium['source']): Chromium {
  return {
    launchOptions: { executablePath, args: [...ARGS] },
    source,
    description: `browser: Chromium from ${executablePath} (${source})`,
  };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
