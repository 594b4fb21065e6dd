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
import { createHash } from 'node:crypto';
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
  parseLegal,
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
  /** The versions published by the build date that rendered now, oldest first per document. */
  entries: RenderedVersion[];
  /** Ids of published versions whose page an earlier build made, unchanged since: keep them. */
  kept: string[];
  /** Lint findings and rendering failures, sorted by file and position. */
  findings: Finding[];
  /** Each version's digest and the findings its Markdown gave, for the next build to reuse. */
  versions: Array<{ id: string; digest: string; findings: Finding[] }>;
}

/** What an earlier build made of a version with a given digest. */
export interface CachedVersion {
  /** The findings of its Markdown alone. */
  findings: Finding[];
  /** Whether its rendered page entry is still in the store. */
  stored: boolean;
}

export interface RenderOptions {
  /** `YYYY-MM-DD`: versions published after it are checked but not rendered. */
  buildDate: string;
  /** The words the rendered page uses, in the document's locale. */
  labels: (locale: string) => ClauseLabels;
  md?: MarkdownIt;
  /**
   * An earlier build's work, for incremental builds: a version whose digest is unchanged is
   * neither parsed, linted, rendered nor diffed again. `codeDigest` must change whenever the
   * code or strings that shape the output do.
   */
  cache?: { codeDigest: string; get(id: string, digest: string): CachedVersion | undefined };
}

export function renderLibrary(library: Library, options: RenderOptions): RenderedLibrary {
  const md = options.md ?? createLegalMarkdown();
  const digests = versionDigests(library, options);
  const cached = (version: DocumentVersion) => options.cache?.get(idOf(version), digests.get(version)!);
  /** Versions whose findings came from the cache, so lint did not parse them. */
  const reused = new Set<DocumentVersion>();
  const { findings, parsed, bodyFindings } = lintLibrary(library, md, {
    reuse: (version) => {
      const hit = cached(version);
      if (hit) reused.add(version);
      return hit?.findings;
    },
  });
  const entries: RenderedVersion[] = [];
  const kept: string[] = [];
  /** Runs one step of the work on one version; a throw is an error finding on its file. */
  const attempt = <T>(version: DocumentVersion, task: string, step: () => T): T | undefined => {
    try {
      return step();
    } catch (error) {
      findings.push(unexpectedError(version.file, error, INTERNAL_RULE, task));
      return undefined;
    }
  };
  /** A version's parse: from lint, or, when lint reused its findings, parsed now for a neighbour. */
  const parseOf = (version: DocumentVersion) =>
    parsed.get(version) ??
    (reused.has(version)
      ? attempt(version, 'render this file', () => parseLegal(md, version.body))
      : undefined);
  for (const document of library.documents) {
    let previous: { version: DocumentVersion; blocks?: ClauseBlock[] } | undefined;
    for (const version of document.versions) {
      // Unpublished versions are checked, but stay out of the site until their day.
      if (version.frontMatter.published > options.buildDate) continue;
      if (cached(version)?.stored) {
        kept.push(idOf(version));
        previous = { version };
        continue;
      }
      const parse = parseOf(version);
      if (!parse) continue;
      const locale = version.frontMatter.locale;
      const html = attempt(version, 'render this file', () => renderLegal(md, parse, options.labels(locale)));
      const blocks = attempt(version, 'render this file', () => clauseBlocks(parse));
      const before = previous && (previous.blocks ?? blocksOf(previous.version));
      const changes =
        previous && before && blocks
          ? attempt(version, `compare this version with ${previous.version.version}`, () =>
              changeReport(clauseDiff(before, blocks, locale)),
            )
          : null;
      previous = blocks && { version, blocks };
      if (html !== undefined && changes !== undefined) entries.push(entry(version, parse, html, changes));
    }
  }
  const versions = library.documents.flatMap((d) =>
    d.versions.map((v) => ({ id: idOf(v), digest: digests.get(v)!, findings: bodyFindings.get(v) ?? [] })),
  );
  return { entries, kept, findings: sortFindings(findings), versions };

  function blocksOf(version: DocumentVersion): ClauseBlock[] | undefined {
    const parse = parseOf(version);
    return parse && attempt(version, 'render this file', () => clauseBlocks(parse));
  }
}

function idOf(version: DocumentVersion): string {
  return `${version.slug}/${version.version}`;
}

/**
 * A digest per version of everything its page depends on: the code, the file, whether it is
 * published by the build date, and the text of the published version before it (its page shows
 * the changes from that one). An edit to one version so touches its page and the next one's.
 */
function versionDigests(library: Library, options: RenderOptions): Map<DocumentVersion, string> {
  const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
  const digests = new Map<DocumentVersion, string>();
  for (const document of library.documents) {
    let previous = '';
    for (const version of document.versions) {
      const published = version.frontMatter.published <= options.buildDate;
      const own = sha256([
        options.cache?.codeDigest ?? '',
        version.file,
        version.frontMatter,
        version.bodyOffset,
        version.body,
        published,
      ]);
      digests.set(version, sha256([own, previous]));
      if (published) previous = own;
    }
  }
  return digests;
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
    id: idOf(version),
    file: version.file,
    data,
    html,
    headings: parse.env.toc,
  };
}
