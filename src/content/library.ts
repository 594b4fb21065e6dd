/**
 * The content folder: `content/<slug>/<version>.md`, read into documents whose versions are
 * ordered by effective date, with every problem that stops a file from being read (front
 * matter, file names). What lint finds in a readable file is src/lint's `lintLibrary`.
 *
 *   const library = await readLibrary('content');
 *   library.documents[0].versions.at(-1)?.frontMatter.title;
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readVersionFile, type BodyOnly, type DocumentVersion, type VersionFileResult } from './document-file.ts';
import { unexpectedError, type Finding } from './finding.ts';

export interface LegalDocument {
  slug: string;
  /** Oldest first. */
  versions: DocumentVersion[];
}

export interface Library {
  documents: LegalDocument[];
  /** Files whose front matter or name is broken: lint can still check their Markdown. */
  unreadable: BodyOnly[];
  /** What stops a file from being read, one or more per file in `unreadable`. */
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
  return assembleLibrary(await Promise.all(files.map(readOrReport)));
}

/** One file that cannot be read (permissions, a bug) is a finding on it, not the end of the others. */
async function readOrReport(file: string): Promise<VersionFileResult> {
  try {
    return await readVersionFile(file);
  } catch (error) {
    const systemError = typeof (error as NodeJS.ErrnoException).code === 'string';
    const finding = systemError
      ? { file, line: 1, column: 1, severity: 'error' as const, message: `could not read this file: ${(error as Error).message}`, rule: 'file-read' }
      : unexpectedError(file, error);
    return { ok: false, findings: [finding] };
  }
}

/**
 * Groups read files into documents, each with its versions oldest first. In memory, so that
 * tests can build a library from sources (`parseVersionSource`) without a folder.
 */
export function assembleLibrary(results: readonly VersionFileResult[]): Library {
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
    .map(([slug, versions]) => ({ slug, versions: versions.sort((a, b) => a.version.localeCompare(b.version)) }));
  return { documents, unreadable, findings };
}
