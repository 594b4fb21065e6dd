/**
 * Carries what a build is for into the site's code: the content folder and the build date, as
 * the virtual module `virtual:assent/site-data` (as Starlight passes its user configuration
 * through `virtual:starlight/user-config`). The pages, the content config and the loader read
 * them from there, so a caller that runs Astro in-process passes them as integration options
 * instead of through the environment.
 *
 *   assentSiteData({ contentDir: 'content', buildDate: '2021-06-01' })
 *   // in site code: import { contentDir, buildDate } from 'virtual:assent/site-data';
 */
import type { AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import { isCalendarDate, localDate } from '../../contract/dates.ts';

const MODULE_ID = 'virtual:assent/site-data';
const RESOLVED_ID = `\0${MODULE_ID}`;

export interface SiteDataOptions {
  /** Where the legal documents are read from (default `content`). */
  contentDir?: string | undefined;
  /**
   * The day the site is built for, YYYY-MM-DD (default: today in the build machine's time
   * zone). Pages show the version in effect on this day and leave out versions not yet
   * published.
   */
  buildDate?: string | undefined;
}

export interface SiteData {
  contentDir: string;
  buildDate: string;
}

/** The options with their defaults, checked: a build date that is no date stops the build. */
export function resolveSiteData(options: SiteDataOptions): SiteData {
  const { contentDir, buildDate } = options;
  if (buildDate && !isCalendarDate(buildDate)) {
    throw new AstroError(
      `The build date is "${buildDate}" (ASSENT_BUILD_DATE): expected a date written YYYY-MM-DD.`,
      'Write it as 2021-06-01, or unset it to build for today.',
    );
  }
  return { contentDir: contentDir || 'content', buildDate: buildDate || localDate(new Date()) };
}

export function assentSiteData(options: SiteDataOptions = {}): AstroIntegration {
  return {
    name: 'assent-site-data',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        const data = resolveSiteData(options);
        const source = Object.entries(data)
          .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`)
          .join('\n');
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'assent-site-data',
                resolveId: (id: string) => (id === MODULE_ID ? RESOLVED_ID : undefined),
                load: (id: string) => (id === RESOLVED_ID ? source : undefined),
              },
            ],
          },
        });
      },
    },
  };
}
