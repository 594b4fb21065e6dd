/**
 * version-order: checks across the versions of one document. Versions are ordered by their
 * effective date; a later version must not have been published before an earlier one, and
 * the kind of a document does not change between versions. Each finding points at the front
 * matter field of the later version that disagrees.
 */
import type { DocumentVersion } from '../content/document-file.ts';
import type { Finding } from '../content/finding.ts';
import type { FrontMatter } from '../content/front-matter.ts';

export function versionOrder(versions: readonly DocumentVersion[]): Finding[] {
  const findings: Finding[] = [];
  const sorted = [...versions].sort((a, b) => a.version.localeCompare(b.version));
  for (let i = 1; i < sorted.length; i++) {
    const earlier = sorted[i - 1]!;
    const later = sorted[i]!;
    const at = (field: keyof FrontMatter, message: string) =>
      findings.push({
        file: later.file,
        line: later.frontMatterLines[field] ?? 1,
        column: 1,
        severity: 'error',
        message,
        rule: 'version-order',
      });
    if (later.frontMatter.published < earlier.frontMatter.published) {
      at(
        'published',
        `version ${later.version} was published on ${later.frontMatter.published}, before the earlier version ${earlier.version} (published ${earlier.frontMatter.published}); versions must be published in the order they take effect`,
      );
    }
    if (later.frontMatter.kind !== earlier.frontMatter.kind) {
      at(
        'kind',
        `kind changes from ${earlier.frontMatter.kind} (version ${earlier.version}) to ${later.frontMatter.kind}; a document keeps its kind, so start a new document instead`,
      );
    }
  }
  return findings;
}
