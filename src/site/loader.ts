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
import { formatFinding, type Finding } from '../content/finding.ts';
import { readLibrary } from '../content/library.ts';
import { FINDINGS_FILE_ENV, writeFindingsFile } from '../lint/findings-file.ts';
import { codeDigest } from './code-digest.ts';
import { isMessageKey, t } from './lib/i18n.ts';
import { renderLibrary, type RenderedVersion } from './render-library.ts';

/** `root`: the content folder; `buildDate`: versions published after it are checked, not rendered. */
export function legalDocuments(options: { root: string; buildDate: string }): Loader {
  return {
    name: 'assent-legal-documents',
    load: async (context) => {
      await loadAll(options, context);
      context.watcher?.add(options.root);
      context.watcher?.on('all', (_event, path) => {
        if (path.endsWith('.md') && !relative(options.root, path).startsWith('..')) {
          loadAll(options, context).catch((error: unknown) => context.logger.error(String(error)));
        }
      });
    },
  };
}

/** Meta-store key of what the last build made of each version: its digest and findings. */
const VERSIONS_KEY = 'versions';

type SavedVersions = Record<string, { digest: string; findings: Finding[] }>;

async function loadAll(
  { root, buildDate }: { root: string; buildDate: string },
  { store, meta, logger, config, watcher }: LoaderContext,
): Promise<void> {
  // Only the dev server watches files: `astro build` and `astro sync` give no watcher (and their
  // Vite may still say DEV, so that flag cannot tell a build from a live preview).
  const live = watcher !== undefined;
  const projectRoot = fileURLToPath(config.root);
  const saved = readSaved(meta.get(VERSIONS_KEY));
  const { entries, kept, findings, versions } = renderLibrary(await readLibrary(root), {
    buildDate,
    // Incremental: a version unchanged since the last build (same file, same code, same version
    // before it) keeps its stored page and its findings.
    cache: {
      codeDigest: await codeDigest(projectRoot),
      get: (id, digest) =>
        saved[id]?.digest === digest
          ? { findings: saved[id]!.findings, stored: store.get(id)?.digest === digest }
          : undefined,
    },
    labels: (locale) => ({
      linkToClause: (n) => t(locale, 'doc.linkToClause', { n }),
      alertTitle: (type) => {
        const key = `doc.alert.${type}`;
        return isMessageKey(key) ? t(locale, key) : type;
      },
      footnote: (n) => t(locale, 'doc.footnote', { n }),
      backToReference: (n) => t(locale, 'doc.backToReference', { n }),
      footnotes: t(locale, 'doc.footnotes'),
    }),
  });

  for (const f of findings) {
    if (f.severity === 'warning') logger.warn(formatFinding(f));
    else logger.error(formatFinding(f));
  }
  const findingsFile = process.env[FINDINGS_FILE_ENV];
  if (findingsFile) await writeFindingsFile(findingsFile, findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  // In `astro dev` (npm run dev) the editor is mid-edit: the pages keep showing and carry their
  // file's findings instead (see showFindings); a build still stops on any error.
  if (live) {
    showFindings(store, entries, findings);
  } else if (errors > 0) {
    // The findings are logged above, verbatim: Astro's error display would read `**` in a
    // message as Markdown, and replaces the hint of any message that mentions "document".
    throw new AstroError(
      `Content check failed with ${errors} error${errors === 1 ? '' : 's'} (listed above, as file:line:column).`,
      'Fix each error at the place given; `npx assent lint` checks again without building.',
    );
  }

  const current = new Set([...kept, ...entries.map((e) => e.id)]);
  // In dev a version that could not be read keeps its last page, now showing why.
  const broken = new Set(findings.map((f) => f.file));
  for (const [id, entry] of store.entries()) {
    const keep = current.has(id) || (live && broken.has(String(entry.data.file)));
    if (!keep) store.delete(id);
  }
  const digests = new Map(versions.map((v) => [v.id, v.digest]));
  for (const entry of entries) {
    store.set({
      id: entry.id,
      data: entry.data,
      digest: digests.get(entry.id)!,
      filePath: relative(projectRoot, entry.file),
      rendered: {
        html: entry.html,
        metadata: {
          headings: entry.headings.map(({ depth, anchor, text }) => ({ depth, slug: anchor, text })),
        },
      },
    });
  }
  meta.set(
    VERSIONS_KEY,
    JSON.stringify(
      Object.fromEntries(versions.map((v) => [v.id, { digest: v.digest, findings: v.findings }])),
    ),
  );
  logger.info(
    `${entries.length + kept.length} document versions from ${root}/` +
      (kept.length ? ` (${entries.length} rendered, ${kept.length} unchanged)` : ''),
  );
}

/**
 * Dev only: puts each file's findings on its version's page data (rendered by DocumentView as
 * a panel on the page), on new entries and on stored ones alike, so the page being edited shows
 * what lint says about it, front-matter errors included.
 */
function showFindings(store: LoaderContext['store'], entries: RenderedVersion[], findings: Finding[]): void {
  const byFile = Map.groupBy(findings, (f) => f.file);
  for (const entry of entries) entry.data.findings = byFile.get(entry.file) ?? [];
  for (const [id, stored] of store.entries()) {
    if (entries.some((e) => e.id === id)) continue;
    const own = byFile.get(String(stored.data.file)) ?? [];
    const shown = (stored.data.findings as Finding[] | undefined) ?? [];
    if (JSON.stringify(own) === JSON.stringify(shown)) continue;
    store.set({
      ...stored,
      data: { ...stored.data, findings: own },
      digest: `${stored.digest}:${own.length}:${Date.now()}`,
    });
  }
}

function readSaved(json: string | undefined): SavedVersions {
  try {
    return json ? (JSON.parse(json) as SavedVersions) : {};
  } catch {
    return {};
  }
}
