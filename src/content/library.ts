/**
 * The content folder: `content/<slug>/<version>.md`, read into documents whose versions are
 * ordered by effective date, with every front-matter, file-name and cross-version problem.
 *
 *   const library = await readLibrary('content');
 *   library.documents[0].versions.at(-1)?.frontMatter.title;
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { summaryPlaceholder } from '../lint/summary-placeholder.ts';
import { versionOrder } from '../lint/version-order.ts';
import type { Finding } from '../lint/finding.ts';
import { readVersionFile, type BodyOnly, type DocumentVersion } from './document-file.ts';

export interface LegalDocument {
  slug: string;
  /** Oldest first. */
  versions: DocumentVersion[];
}

export interface Library {
  documents: LegalDocument[];
  /** Files whose front matter or name is broken: lint can still check their Markdown. */
  unreadable: BodyOnly[];
  findings: Finding[];
}

/** Every `*.md` in `dir` and in its sub-folders (`content/` or one `content/<slug>/`), sorted. */
export async function listVersionFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isFile() && entry.name.endsWith('.md')) files.push(join(dir, entry.name));
    if (!entry.isDirectory()) continue;
    for (const file of await readdir(join(dir, entry.name), { withFileTypes: true })) {
      if (file.isFile() && file.name.endsWith('.md')) files.push(join(dir, entry.name, file.name));
    }
  }
  return files.sort();
}

export async function readLibrary(root: string): Promise<Library> {
  return readVersionFiles(await listVersionFiles(root));
}

export async function readVersionFiles(files: readonly string[]): Promise<Library> {
  const results = await Promise.all(files.map(readVersionFile));
  const bySlug = new Map<string, DocumentVersion[]>();
  const findings: Finding[] = [];
  const unreadable: BodyOnly[] = [];
  for (const result of results) {
    findings.push(...result.findings);
    if (!result.ok) {
      if (result.body) unreadable.push(result.body);
      continue;
    }
    const list = bySlug.get(result.version.slug) ?? [];
    list.push(result.version);
    bySlug.set(result.version.slug, list);
  }
  const documents = [...bySlug.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([slug, versions]) => {
      versions.sort((a, b) => a.version.localeCompare(b.version));
      findings.push(...versionOrder(versions), ...versions.flatMap(summaryPlaceholder));
      return { slug, versions };
    });
  return { documents, unreadable, findings };
}
