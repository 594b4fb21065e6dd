/**
 * version-order: checks across the versions of one document. Versions are ordered by their
 * effective date; a later version must not have been published before an earlier one, and
 * the kind of a document does not change between versions.
 */
import type { DocumentVersion } from '../content/document-file.ts';
import type { Finding } from './finding.ts';

export function versionOrder(versions: readonly DocumentVersion[]): Finding[] {
  const findings: Finding[] = [];
  const sorted = [...versions].sort((a, b) => a.version.localeCompare(b.version));
  for (let i = 1; i < sorted.length; i++) {
    const earlier = sorted[i - 1]!;
    const later = sorted[i]!;
    const at = (message: string, severity: Finding['severity'] = 'error') =>
      findings.push({ file: later.file, line: 1, column: 1, severity, message, rule: 'version-order' });
    if (later.frontMatter.published < earlier.frontMatter.published) {
      at(
        `version ${later.version} was published on ${later.frontMatter.published}, before the earlier version ${earlier.version} (published ${earlier.frontMatter.published}); versions must be published in the order they take effect`,
      );
    }
    if (later.frontMatter.kind !== earlier.frontMatter.kind) {
      at(
        `kind changes from ${earlier.frontMatter.kind} (version ${earlier.version}) to ${later.frontMatter.kind}; a document keeps its kind, so start a new document instead`,
      );
    }
  }
  return findings;
}
