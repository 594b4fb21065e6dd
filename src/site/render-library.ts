/**
 * What the site is made of, without Astro: the library linted once (`lintLibrary`), then every
 * version published by the build date rendered from that same parse and diffed against the
 * published version before it. Rendering or diffing a version that throws becomes an error
 * finding for its file, so one bad file never hides the others. The content loader
 * (loader.ts) stores the entries, prints the findings and fails the build on errors.
 *
 *   const { entries, findings } = renderLibrary(await readLibrary('content'), {
 *     buildDate: '2021-05-20',
 *     labels: (locale) => ({ linkToClause: (n) => `Link to clause ${n}` }),
 *   });
 */
import type { MarkdownIt } from 'markdown-it';
import type { DocumentVersion } from '../content/document-file.ts';
import { INTERNAL_RULE, sortFindings, unexpectedError, type Finding } from '../content/finding.ts';
import type { Library } from '../content/library.ts';
import { changeReport, type ChangeReport } from '../diff/change-report.ts';
import { clauseDiff } from '../diff/clause-diff.ts';
import { lintLibrary } from '../lint/lint-library.ts';
import { clauseBlocks, type ClauseBlock } from '../markdown/clause-blocks.ts';
import type { TocEntry } from '../markdown/legal-env.ts';
import {
  createLegalMarkdown,
  renderLegal,
  type ClauseLabels,
  type ParsedLegal,
} from '../markdown/pipeline.ts';
import type { VersionData } from './lib/version-data.ts';

export interface RenderedVersion {
  /** `<slug>/<version>`. */
  id: string;
  /** The source file, as read. */
  file: string;
  data: VersionData;
  html: string;
  headings: TocEntry[];
}

export interface RenderedLibrary {
  /** The versions published by the build date that rendered, oldest first per document. */
  entries: RenderedVersion[];
  /** Lint findings and rendering failures, sorted by file and position. */
  findings: Finding[];
}

export interface RenderOptions {
  /** `YYYY-MM-DD`: versions published after it are checked but not rendered. */
  buildDate: string;
  /** The words the rendered page uses, in the document's locale. */
  labels: (locale: string) => ClauseLabels;
  md?: MarkdownIt;
}

export function renderLibrary(library: Library, options: RenderOptions): RenderedLibrary {
  const md = options.md ?? createLegalMarkdown();
  const { findings, parsed } = lintLibrary(library, md);
  const entries: RenderedVersion[] = [];
  /** Runs one step of the work on one version; a throw is an error finding on its file. */
  const attempt = <T>(version: DocumentVersion, task: string, step: () => T): T | undefined => {
    try {
      return step();
    } catch (error) {
      findings.push(unexpectedError(version.file, error, INTERNAL_RULE, task));
      return undefined;
    }
  };
  for (const document of library.documents) {
    let previous: { version: DocumentVersion; blocks: ClauseBlock[] } | undefined;
    for (const version of document.versions) {
      const parse = parsed.get(version);
      // Unpublished versions are checked, but stay out of the site until their day.
      if (!parse || version.frontMatter.published > options.buildDate) continue;
      const locale = version.frontMatter.locale;
      const html = attempt(version, 'render this file', () => renderLegal(md, parse, options.labels(locale)));
      const blocks = attempt(version, 'render this file', () => clauseBlocks(parse));
      const changes =
        previous && blocks
          ? attempt(version, `compare this version with ${previous.version.version}`, () =>
              changeReport(clauseDiff(previous!.blocks, blocks, locale)),
            )
          : null;
      previous = blocks && { version, blocks };
      if (html !== undefined && changes !== undefined) entries.push(entry(version, parse, html, changes));
    }
  }
  return { entries, findings: sortFindings(findings) };
}

function entry(
  version: DocumentVersion,
  parse: ParsedLegal,
  html: string,
  changes: ChangeReport | null,
): RenderedVersion {
  const { frontMatter: fm } = version;
  const data: VersionData = {
    slug: version.slug,
    version: version.version,
    file: version.file,
    title: fm.title,
    kind: fm.kind,
    locale: fm.locale,
    published: fm.published,
    effective: fm.effective,
    acceptance: fm.acceptance,
    summary: fm.summary,
    ...(fm.operator ? { operator: fm.operator } : {}),
    contentHash: version.contentHash,
    toc: parse.env.toc,
    keyClauses: parse.env.keyPassages.map(({ anchor, clause, text }) => ({
      anchor,
      ...(clause ? { clause } : {}),
      text,
    })),
    changes,
  };
  return {
    id: `${version.slug}/${version.version}`,
    file: version.file,
    data,
    html,
    headings: parse.env.toc,
  };
}
