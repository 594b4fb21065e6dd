/**
 * Checks a record against what the site published: the document, version and content hash
 * must be in the manifest, a consent must answer exactly the published cookie categories, and
 * each type must carry what it is about. The schema has already checked shapes; this checks
 * meaning, and every problem names its place in the body (a JSON Pointer).
 */
import { DOCUMENT_RECORD_TYPES, type RecordInput } from '../contract/record.ts';
import type { ManifestIndex } from './manifest-source.ts';
import type { ProblemCode, ProblemDetail } from './problem.ts';

export interface RecordIssue extends ProblemDetail {
  code: ProblemCode;
}

export function checkRecord(record: RecordInput, manifest: ManifestIndex, pointer: string): RecordIssue[] {
  const issues: RecordIssue[] = [];
  const issue = (code: ProblemCode, path: string, message: string) =>
    issues.push({ code, pointer: `${pointer}${path}`, message });
  const invalid = (path: string, message: string) => issue('record-not-valid-for-manifest', path, message);

  if (DOCUMENT_RECORD_TYPES.includes(record.type)) {
    if (!record.document)
      invalid(
        '/document',
        `a record of type "${record.type}" must name the document, version and content hash shown`,
      );
    if (record.choices) invalid('/choices', `a record of type "${record.type}" carries no cookie choices`);
  }
  if (record.type === 'consent') {
    if (!record.cookies)
      invalid('/cookies', 'a consent record must name the cookie configuration revision shown');
    if (!record.choices) invalid('/choices', 'a consent record must give a choice for every cookie category');
  }
  if (record.type === 'withdrawn' && !record.document && !record.cookies) {
    invalid('', 'a withdrawal must name what is withdrawn: a document, or the cookie configuration');
  }
  if (record.shown.checkboxPreticked && (record.type === 'accepted' || record.type === 'consent')) {
    invalid(
      '/shown/checkboxPreticked',
      'a checkbox that was ticked before the user touched it is not valid consent',
    );
  }

  if (record.document) {
    const { slug, version, contentHash } = record.document;
    const published = manifest.version(slug, version);
    if (!manifest.document(slug)) {
      issue('unknown-document', '/document/slug', `no document "${slug}" is published`);
    } else if (!published) {
      const known = manifest
        .document(slug)!
        .versions.map((v) => v.version)
        .join(', ');
      issue(
        'unknown-version',
        '/document/version',
        `"${slug}" has no published version ${version} (it has: ${known})`,
      );
    } else if (published.contentHash !== contentHash) {
      issue(
        'content-hash-mismatch',
        '/document/contentHash',
        `version ${version} of "${slug}" has content hash ${published.contentHash}, not ${contentHash}`,
      );
    }
  }

  if (record.cookies || record.choices) {
    const config = manifest.manifest.cookies;
    if (!config) {
      invalid(record.cookies ? '/cookies' : '/choices', 'the site publishes no cookie configuration');
    } else {
      if (record.cookies && record.cookies.revision !== config.revision) {
        invalid(
          '/cookies/revision',
          `the published cookie configuration is revision "${config.revision}", not "${record.cookies.revision}"; reload the page`,
        );
      }
      if (record.choices) {
        const published = config.categories.map((c) => c.id);
        const given = Object.keys(record.choices);
        const missing = published.filter((id) => !given.includes(id));
        const unknown = given.filter((id) => !published.includes(id));
        if (missing.length)
          invalid(
            '/choices',
            `no choice given for ${missing.join(', ')}: every category must be granted or denied explicitly`,
          );
        if (unknown.length)
          invalid(
            '/choices',
            `unknown categories ${unknown.join(', ')} (published: ${published.join(', ')})`,
          );
        for (const category of config.categories) {
          if (category.mode === 'necessary' && record.choices[category.id] === 'denied') {
            invalid(`/choices/${category.id}`, `"${category.id}" is necessary and cannot be denied`);
          }
        }
      }
    }
  }
  return issues;
}
