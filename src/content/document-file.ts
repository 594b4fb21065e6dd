/**
 * One version of one document, read from `content/<slug>/<version>.md`: the path gives the
 * slug and the version (its effective date), the front matter the rest.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { isCalendarDate } from '../contract/dates.ts';
import { contentHash } from './content-hash.ts';
import type { Finding } from './finding.ts';
import { readFrontMatter, splitFrontMatter, type FieldLines, type FrontMatter } from './front-matter.ts';

export interface DocumentVersion {
  slug: string;
  /** The effective date, from the file name. */
  version: string;
  /** Path as given, for messages. */
  file: string;
  frontMatter: FrontMatter;
  /** The file line of each front matter field, so that a finding about one points at it. */
  frontMatterLines: FieldLines;
  /** The Markdown after the front matter. */
  body: string;
  /** Lines before the body: a body line n is file line n + bodyOffset (1-based). */
  bodyOffset: number;
  contentHash: string;
}

export type VersionFileResult = { ok: true; version: DocumentVersion; findings: Finding[] } | { ok: false; findings: Finding[]; body?: BodyOnly };

/** What lint can still check when the front matter is broken. */
export interface BodyOnly {
  file: string;
  body: string;
  bodyOffset: number;
}

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export async function readVersionFile(file: string): Promise<VersionFileResult> {
  return parseVersionSource(file, await readFile(file, 'utf8'));
}

export function parseVersionSource(file: string, source: string): VersionFileResult {
  const split = splitFrontMatter(source);
  const bodyOnly: BodyOnly = { file, body: split.body, bodyOffset: split.bodyOffset };
  const front = readFrontMatter(file, split);
  if (!front.ok) return { ok: false, findings: front.findings, body: bodyOnly };

  const slug = basename(dirname(file));
  const version = basename(file).replace(/\.md$/, '');
  const findings: Finding[] = [];
  const problem = (message: string) =>
    findings.push({ file, line: 1, column: 1, severity: 'error', message, rule: 'file-name' });
  if (!SLUG.test(slug)) {
    problem(`folder name "${slug}" is not a document slug: use lowercase letters, digits and hyphens, e.g. privacy-policy`);
  }
  if (!isCalendarDate(version)) {
    problem(`file name "${basename(file)}" must be the effective date, e.g. ${front.data.effective}.md`);
  } else if (version !== front.data.effective) {
    problem(`file name says version ${version} but \`effective\` is ${front.data.effective}: rename the file to ${front.data.effective}.md or fix the date`);
  }
  if (findings.length) return { ok: false, findings, body: bodyOnly };

  return {
    ok: true,
    findings,
    version: {
      slug,
      version,
      file,
      frontMatter: front.data,
      frontMatterLines: front.lines,
      body: split.body,
      bodyOffset: split.bodyOffset,
      contentHash: contentHash(front.data.title, version, split.body),
    },
  };
}
