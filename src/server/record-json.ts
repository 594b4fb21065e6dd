/**
 * Canonical JSON for records, fast. JSON.stringify writes an object's keys in the order they
 * were added, and escapes strings exactly as RFC 8785 asks; so building each object with its
 * keys already in code-unit order makes JSON.stringify's output the canonical JSON, about three
 * times faster than sorting keys at every level. The generic `canonicalJson` stays the
 * definition: tests check both give the same bytes.
 */
import type { Choice, DocumentRef, Presentation, StoredRecord } from '../contract/record.ts';

function document(d: DocumentRef | null | undefined) {
  return d && { contentHash: d.contentHash, slug: d.slug, version: d.version };
}

function shown(s: Presentation) {
  return {
    buttonText: s.buttonText,
    checkboxPreticked: s.checkboxPreticked,
    component: s.component,
    componentVersion: s.componentVersion,
    gpc: s.gpc,
    locale: s.locale,
    pageOrigin: s.pageOrigin,
    pagePath: s.pagePath,
  };
}

function choices(c: Record<string, Choice> | null | undefined) {
  if (!c) return c;
  const sorted: Record<string, Choice> = {};
  for (const id of Object.keys(c).sort()) sorted[id] = c[id]!;
  return sorted;
}

function cookies(c: { revision: string } | null | undefined) {
  return c && { revision: c.revision };
}

/** The exact bytes that are hashed and stored for a record (everything but its hash). */
export function recordBody(r: Omit<StoredRecord, 'hash'>): string {
  return JSON.stringify({
    browser: r.browser,
    choices: choices(r.choices),
    clientTime: r.clientTime,
    cookies: cookies(r.cookies),
    document: document(r.document),
    id: r.id,
    ip: r.ip,
    prevHash: r.prevHash,
    seq: r.seq,
    serverTime: r.serverTime,
    shown: shown(r.shown),
    subject: { hash: r.subject.hash, keyVersion: r.subject.keyVersion, kind: r.subject.kind },
    type: r.type,
  });
}

/** The members of a record that the client sent (with its subject already pseudonymised). */
export interface SentFields {
  id: string;
  type: StoredRecord['type'];
  clientTime: string;
  subject: { kind: StoredRecord['subject']['kind']; hash: string; keyVersion?: number };
  document?: DocumentRef | null | undefined;
  cookies?: { revision: string } | null | undefined;
  choices?: Record<string, Choice> | null | undefined;
  shown: Presentation;
}

/**
 * Canonical JSON of what a client sent, absent and null members left out: two records under
 * one id are the same record (an idempotent retry) exactly when this agrees, whatever order the
 * client wrote its keys in, and whether one side is a stored record or a new one.
 */
export function sentJson(r: SentFields): string {
  return JSON.stringify({
    choices: choices(r.choices) ?? undefined,
    clientTime: r.clientTime,
    cookies: cookies(r.cookies) ?? undefined,
    document: document(r.document) ?? undefined,
    id: r.id,
    shown: shown(r.shown),
    subject: { hash: r.subject.hash, kind: r.subject.kind },
    type: r.type,
  });
}
