/**
 * The content loader behind the `versions` collection: reads `content/<slug>/<version>.md`
 * and hands it to `renderLibrary` (lint every version, render and diff the published ones),
 * then stores the entries. Lint errors fail the build with every finding listed; warnings are
 * printed. When `npm start` runs the build, the findings also go to the file it names
 * (findings-file.ts), so that it prints them without linting again.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { AstroError } from 'astro/errors';
import { formatFinding } from '../content/finding.ts';
import { readLibrary } from '../content/library.ts';
import { FINDINGS_FILE_ENV, writeFindingsFile } from '../lint/findings-file.ts';
import { buildDate } from './lib/build-date.ts';
import { isMessageKey, t } from './lib/i18n.ts';
import { renderLibrary } from './render-library.ts';

export function legalDocuments(options: { root: string }): Loader {
  return {
    name: 'assent-legal-documents',
    load: async (context) => {
      await loadAll(options.root, context);
      context.watcher?.add(options.root);
      context.watcher?.on('all', (_event, path) => {
        if (path.endsWith('.md') && !relative(options.root, path).startsWith('..')) {
          loadAll(options.root, context).catch((error: unknown) => context.logger.error(String(error)));
        }
      });
    },
  };
}

async function loadAll(root: string, { store, logger, config }: LoaderContext): Promise<void> {
  const projectRoot = fileURLToPath(config.root);
  const { entries, findings } = renderLibrary(await readLibrary(root), {
    buildDate,
    labels: (locale) => ({
      linkToClause: (n) => t(locale, 'doc.linkToClause', { n }),
      alertTitle: (type) => {
        const key = `doc.alert.${type}`;
        return isMessageKey(key) ? t(locale, key) : type;
      },
    }),
  });

  for (const f of findings) {
    if (f.severity === 'warning') logger.warn(formatFinding(f));
    else logger.error(formatFinding(f));
  }
  const findingsFile = process.env[FINDINGS_FILE_ENV];
  if (findingsFile) await writeFindingsFile(findingsFile, findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (errors > 0) {
    // The findings are logged above, verbatim: Astro's error display would read `**` in a
    // message as Markdown, and replaces the hint of any message that mentions "document".
    throw new AstroError(
      `Content check failed with ${errors} error${errors === 1 ? '' : 's'} (listed above, as file:line:column).`,
      'Fix each error at the place given; `npx assent lint` checks again without building.',
    );
  }

  store.clear();
  for (const entry of entries) {
    store.set({
      id: entry.id,
      data: entry.data,
      filePath: relative(projectRoot, entry.file),
      rendered: {
        html: entry.html,
        metadata: {
          headings: entry.headings.map(({ depth, anchor, text }) => ({ depth, slug: anchor, text })),
        },
      },
    });
  }
  logger.info(`${entries.length} document versions from ${root}/`);
}
