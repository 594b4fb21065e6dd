/**
 * The content loader behind the `versions` collection: reads `content/<slug>/<version>.md`,
 * validates and lints every version, and for each one published by the build date renders it
 * with the legal Markdown pipeline and diffs it against the version before it, once. Lint
 * errors fail the build with every finding listed; warnings are printed.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { AstroError } from 'astro/errors';
import { readLibrary } from '../content/library.ts';
import { formatFinding, sortFindings } from '../lint/finding.ts';
import { lintBody } from '../lint/lint.ts';
import { changeReport } from '../diff/change-report.ts';
import { clauseDiff } from '../diff/clause-diff.ts';
import { clauseBlocks, type ClauseBlock } from '../markdown/clause-blocks.ts';
import { createLegalMarkdown, parseLegal, renderLegal } from '../markdown/pipeline.ts';
import { buildDate } from './lib/build-date.ts';
import { t } from './lib/i18n.ts';
import type { VersionData } from './lib/version-data.ts';

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
  const library = await readLibrary(root);
  const md = createLegalMarkdown();
  const findings = [...library.findings];
  const entries = [];
  for (const document of library.documents) {
    let previous: ClauseBlock[] | undefined;
    for (const v of document.versions) {
      const parsed = parseLegal(md, v.body);
      findings.push(...lintBody(v, parsed));
      // Unpublished versions are checked, but stay out of the site until their day.
      if (v.frontMatter.published > buildDate) continue;
      const { frontMatter: fm } = v;
      const blocks = clauseBlocks(parsed);
      const data: VersionData = {
        slug: v.slug,
        version: v.version,
        file: v.file,
        title: fm.title,
        kind: fm.kind,
        locale: fm.locale,
        published: fm.published,
        effective: fm.effective,
        acceptance: fm.acceptance,
        summary: fm.summary,
        ...(fm.operator ? { operator: fm.operator } : {}),
        contentHash: v.contentHash,
        toc: parsed.env.toc,
        keyClauses: parsed.env.keyPassages.map(({ anchor, text }) => ({ anchor, text })),
        changes: previous ? changeReport(clauseDiff(previous, blocks, fm.locale)) : null,
      };
      previous = blocks;
      entries.push({
        id: `${v.slug}/${v.version}`,
        data,
        html: renderLegal(md, parsed, { linkToClause: (n) => t(fm.locale, 'doc.linkToClause', { n }) }),
        headings: parsed.env.toc,
        filePath: relative(projectRoot, v.file),
      });
    }
  }
  for (const body of library.unreadable) findings.push(...lintBody(body, parseLegal(md, body.body)));

  const sorted = sortFindings(findings);
  for (const f of sorted) {
    if (f.severity === 'warning') logger.warn(formatFinding(f));
    else logger.error(formatFinding(f));
  }
  const errors = sorted.filter((f) => f.severity === 'error').length;
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
      filePath: entry.filePath,
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
