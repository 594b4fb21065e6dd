/**
 * summary-placeholder: `assent new-version` writes a placeholder summary when none is given;
 * a version must not be published with it, since readers and the update pop-up show it.
 */
import type { DocumentVersion } from '../content/document-file.ts';
import type { Finding } from '../content/finding.ts';

export const SUMMARY_PLACEHOLDERS = {
  zh: '（请在此说明本版本的变更）',
  en: '(Describe what changed in this version.)',
} as const;

export function summaryPlaceholder(version: DocumentVersion): Finding[] {
  const summary = version.frontMatter.summary;
  if (!Object.values(SUMMARY_PLACEHOLDERS).includes(summary as never)) return [];
  return [
    {
      file: version.file,
      line: version.frontMatterLines.summary ?? 1,
      column: 1,
      severity: 'error',
      message:
        'the summary is still the placeholder written by `assent new-version`: say what changed in this version',
      rule: 'summary-placeholder',
    },
  ];
}
