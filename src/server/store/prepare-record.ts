/**
 * From a checked record to what the store keeps. On the request's side, `recordDraft` reduces
 * the client to its network and browser family (if kept at all). On the store's side,
 * `prepareRecord` pseudonymises the subject (for SQLite, in the writer thread).
 */
import type { RecordInput } from '../../contract/record.ts';
import { browserFamily, truncateIp } from '../client-info.ts';
import { pseudonymise, subjectHashUnder, type SubjectKeys } from '../subject-keys.ts';
import type { PreparedRecord, RecordDraft } from './record-store.ts';

export interface ClientContext {
  ip: string | undefined;
  userAgent: string | undefined;
}

export interface Retention {
  keepIp: boolean;
  keepBrowser: boolean;
}

export function recordDraft(input: RecordInput, client: ClientContext, retention: Retention): RecordDraft {
  return {
    input,
    ip: retention.keepIp && client.ip ? truncateIp(client.ip) : null,
    browser: retention.keepBrowser ? browserFamily(client.userAgent) : null,
  };
}

export function prepareRecord({ input, ip, browser }: RecordDraft, keys: SubjectKeys): PreparedRecord {
  const subject = { kind: input.subject.kind, ...pseudonymise(keys, input.subject.id) };
  const prepared: PreparedRecord = {
    id: input.id,
    type: input.type,
    clientTime: input.clientTime,
    subject,
    document: input.document ?? null,
    cookies: input.cookies ?? null,
    choices: input.choices ?? null,
    shown: input.shown,
    ip,
    browser,
  };
  // Not enumerable, so that no copy or serialisation of the record ever carries it.
  Object.defineProperty(prepared, 'subjectHashUnder', {
    value: (version: number) => subjectHashUnder(keys, version, input.subject.id),
  });
  return prepared;
}
