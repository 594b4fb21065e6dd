/**
 * Where a user stands with a document, on their own calendar day: which version is in effect
 * (`timeline`, shared with the site build), whether they must accept it again, and what is
 * announced. Versions are named by their effective date, so they compare as strings. With a
 * subject token, what this browser remembers is joined with what the endpoint holds for the
 * subject (`askStanding`, `withStanding`), so that what was done on another device counts.
 */
import type { ManifestDocument, ManifestVersion } from '../../src/contract/manifest.ts';
import { localDate } from '../../src/contract/dates.ts';
import { timeline } from '../../src/contract/versions.ts';
import type { DocumentStanding } from '../../src/contract/standing.ts';
import type { DocumentMarks, Mark } from './cookies.ts';

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

/** A subject's standing as `GET /v1/standing` answers it for one document. */
export type RemoteStanding = Pick<DocumentStanding, 'latest' | 'accepted'>;

/** An acceptance, with its signed receipt when the endpoint's is at hand. */
export type ProvenMark = Mark & { receipt?: string };

export interface StandingError extends Error {
  status: number;
  problem?: { code?: string; detail?: string };
}

const asked = new Map<string, Promise<RemoteStanding>>();

/**
 * The endpoint's standing of a subject token's subject on one document (one request per page
 * for each). Rejects with a StandingError saying why: refused (status, problem) or unreachable.
 */
export function askStanding(endpoint: string, token: string, slug: string): Promise<RemoteStanding> {
  const key = `${endpoint} ${token} ${slug}`;
  let answer = asked.get(key);
  if (!answer) {
    const failed = (message: string, status = 0, problem?: StandingError['problem']): StandingError =>
      Object.assign(new Error(message), { status, problem });
    asked.set(
      key,
      (answer = fetch(`${endpoint}/v1/standing?document=${encodeURIComponent(slug)}`, {
        headers: { authorization: `Bearer ${token}` },
        credentials: 'omit',
      }).then(
        async (response) => {
          const body = await response.json().catch(() => undefined);
          if (!response.ok)
            throw failed(
              `standing refused: ${body?.detail ?? `HTTP ${response.status}`}`,
              response.status,
              body,
            );
          return body.documents[0];
        },
        () => {
          throw failed(
            `${new URL(endpoint).origin} could not be reached for standing: it may be down, not list this page's origin for the partner key (assent keys create --origin), or be blocked by the page's Content-Security-Policy (connect-src)`,
          );
        },
      )),
    );
    answer.catch(() => asked.delete(key));
  }
  return answer;
}

/** Whether a record waits in the outbox, not yet confirmed by the endpoint. */
export function queued(id: string | undefined): boolean {
  try {
    return !!id && !!localStorage.getItem('assent_outbox')?.includes(id);
  } catch {
    return false;
  }
}

/**
 * This browser's marks joined with what the endpoint holds for the token's subject. The
 * endpoint is the truth for what was recorded: the cookie's acceptance counts only while its
 * record is unconfirmed or was confirmed on this page (`ours`), since on a shared browser it
 * may be another subject's. What was seen or dismissed counts from either side.
 */
export function withStanding(
  doc: ManifestDocument,
  marks: DocumentMarks,
  remote: RemoteStanding,
  ours: (record: string | undefined) => boolean,
): DocumentMarks & { accepted?: ProvenMark } {
  const mark = (r: { version: string; serverTime: string } | null) =>
    r ? { version: r.version, time: Date.parse(r.serverTime) } : undefined;
  const newer = <M extends Mark>(a: M | undefined, b: M | undefined) =>
    b && (!a || b.version >= a.version) ? b : a;
  const { accepted, latest } = remote;
  const local = marks.accepted;
  return {
    accepted: newer<ProvenMark>(
      ours(local?.record) ? local : undefined,
      accepted
        ? {
            ...mark(accepted)!,
            hash: doc.versions.find((v) => v.version === accepted.version)?.contentHash,
            receipt: accepted.receipt,
          }
        : undefined,
    ),
    notified: newer(marks.notified, mark(latest)),
    dismissed:
      latest?.type === 'acknowledged' && latest.version > (marks.dismissed ?? '')
        ? latest.version
        : marks.dismissed,
  };
}
