/**
 * Sealing a prepared record into the chain: its position, the server's time, the previous
 * hash and its own. Shared by every store so that all of them chain records the same way.
 */
import { hash } from 'node:crypto';
import type { RecordReceipt } from '../../contract/record.ts';
import { recordBody } from '../record-json.ts';
import type { PreparedRecord } from './record-store.ts';

export interface SealedRecord {
  id: string;
  seq: number;
  serverTime: string;
  subjectHash: string;
  /** Canonical JSON of the record without its hash: what is stored and hashed. */
  body: string;
  hash: string;
  /** The 32 bytes of `hash`: the record's leaf data in the Merkle tree (recordLeafData). */
  digest: Uint8Array;
}

export function seal(
  record: PreparedRecord,
  seq: number,
  prevHash: string,
  serverTime: string,
): SealedRecord {
  const body = recordBody({ ...record, seq, serverTime, prevHash });
  // record-hash.ts's sha256, with the bytes kept for the tree rather than parsed back from hex.
  const digest = hash('sha256', body, 'buffer');
  return {
    id: record.id,
    seq,
    serverTime,
    subjectHash: record.subject.hash,
    body,
    hash: `sha256:${digest.toString('hex')}`,
    digest,
  };
}

export function receiptOf(sealed: Pick<SealedRecord, 'id' | 'seq' | 'serverTime' | 'hash'>): RecordReceipt {
  return { id: sealed.id, seq: sealed.seq, serverTime: sealed.serverTime, hash: sealed.hash };
}

/** A stored record as the API returns it: its body with its hash. */
export function storedRecord(body: string, hash: string) {
  return { ...JSON.parse(body), hash };
}
