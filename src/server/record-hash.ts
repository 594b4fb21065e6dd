/**
 * The evidence chain: every stored record carries the hash of the one before it, and its own
 * hash is SHA-256 over its canonical JSON (everything but `hash`). Editing, deleting or
 * reordering any record breaks a link that `verifyChain` finds.
 *
 *   hash = "sha256:" + hex(SHA-256(canonicalJson(record without "hash")))
 */
import { hash } from 'node:crypto';
import type { ChainBreak, ChainReport } from '../contract/chain-report.ts';

export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;

export function sha256(text: string): string {
  return `sha256:${hash('sha256', text, 'hex')}`;
}

export interface ChainLink {
  seq: number;
  /** The stored canonical body. */
  body: string;
  hash: string;
}

export { CHAIN_BREAKS, type ChainBreak, type ChainReport } from '../contract/chain-report.ts';

/**
 * Walks links in order and reports the first that does not hold: a gap in the sequence, a
 * body that does not parse or names another position, a wrong previous hash, a wrong hash.
 */
export async function verifyChain(
  links: AsyncIterable<ChainLink> | Iterable<ChainLink>,
): Promise<ChainReport> {
  let expectedSeq = 1;
  let previous = GENESIS_HASH;
  let count = 0;
  for await (const link of links) {
    const broken = (code: ChainBreak, reason: string): ChainReport => ({
      ok: false,
      records: count,
      brokenAt: link.seq,
      code,
      reason,
    });
    if (link.seq !== expectedSeq) {
      return {
        ok: false,
        records: count,
        brokenAt: expectedSeq,
        code: 'missing',
        reason: `record ${expectedSeq} is missing (next is ${link.seq})`,
      };
    }
    let parsed: { seq?: unknown; prevHash?: unknown };
    try {
      parsed = JSON.parse(link.body);
    } catch {
      return broken('not-json', 'the stored record is not valid JSON');
    }
    if (parsed.seq !== link.seq)
      return broken('wrong-seq', `the record says it is number ${String(parsed.seq)}`);
    if (parsed.prevHash !== previous)
      return broken('wrong-prev-hash', 'it does not point to the hash of the record before it');
    if (sha256(link.body) !== link.hash)
      return broken('wrong-hash', 'its content does not match its hash (the record was changed)');
    previous = link.hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, records: count, lastSeq: expectedSeq - 1, lastHash: previous };
}
