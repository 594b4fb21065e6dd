/**
 * From a request's draft to what the store keeps: the subject pseudonymised under the current
 * HMAC key (for SQLite, in the writer thread). The request's side, `recordDraft`, is in
 * ../prepare-record.ts.
 */
import { pseudonymise, subjectHashUnder, type SubjectKeys } from '../subject-keys.ts';
import type { PreparedRecord, RecordDraft } from './record-store.ts';

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
