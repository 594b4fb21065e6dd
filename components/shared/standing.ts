/**
 * Where a user stands with a document, on their own calendar day: which version is in effect
 * (`timeline`, shared with the site build), whether they must accept it again, and what is
 * announced. Versions are named by their effective date, so they compare as strings.
 */
import type { ManifestDocument, ManifestVersion } from '../../src/contract/manifest.ts';
import { localDate } from '../../src/contract/dates.ts';
import { timeline } from '../../src/contract/versions.ts';
import type { DocumentMarks } from './cookies.ts';

export interface Standing {
  current: ManifestVersion | undefined;
  upcoming: ManifestVersion | undefined;
  /** The acceptance still in force: no `required` version took effect after it. */
  accepted: boolean;
  /** Versions in effect that the user has neither accepted nor been told of, oldest first. */
  unseen: ManifestVersion[];
}

export function standing(doc: ManifestDocument, marks: DocumentMarks): Standing {
  const { current, upcoming } = timeline(doc.versions, localDate(new Date()));
  const inEffect = current ? doc.versions.filter((v) => v.effective <= current.effective) : [];
  const after = (version = '') => inEffect.filter((v) => v.version > version);
  const a = marks.accepted;
  const seen = [a?.version ?? '', marks.notified?.version ?? ''].sort()[1];
  return {
    current,
    upcoming: upcoming[0],
    accepted:
      !!a &&
      doc.versions.some((v) => v.version === a.version && v.contentHash === a.hash) &&
      !after(a.version).some((v) => v.acceptance === 'required'),
    unseen: seen ? after(seen) : [],
  };
}
