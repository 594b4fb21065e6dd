/**
 * What `assent checkpoint --save` and `assent verify --checkpoint` do: keep signed checkpoints
 * off the machine, each proven consistent with the one saved before it, and prove later that
 * the store still holds everything a saved checkpoint covers. The root is recomputed from the
 * records themselves (not from the stored tree), so a deleted tail or a rewrite with every
 * later hash recomputed, which the hash chain alone cannot catch, is caught.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toBase64 } from '../../contract/proof/bytes.ts';
import { verifyCheckpoint, type Checkpoint } from '../../contract/proof/checkpoint.ts';
import { ed25519Keys, type Ed25519PublicJwk } from '../../contract/proof/keys.ts';
import { recordLeafData, verifyConsistency } from '../../contract/proof/merkle.ts';
import { verifyChain, type ChainLink } from '../record-hash.ts';
import type { RecordReader } from '../store/record-store.ts';
import { extendTree, rootOf, type NodeHash } from './merkle-tree.ts';
import { nodeHasher } from './node-hasher.ts';
import { consistencyProof } from './tree-proofs.ts';

export const KEYS_FILE = 'assent-keys.json';
const CHECKPOINT_FILE = /^(\d+)\.checkpoint$/;

export type AuditReport =
  { ok: true; checkpoint: Checkpoint; records: number } | { ok: false; reason: string };

/** MTH of the first `size` records' leaves, and how many records there are in all. */
async function rootOfFirst(links: AsyncIterable<ChainLink>, size: number) {
  let frontier: NodeHash[] = [];
  let batch: Uint8Array[] = [];
  let count = 0;
  let root: Uint8Array | undefined = size === 0 ? nodeHasher.empty() : undefined;
  for await (const link of links) {
    count++;
    if (count > size) continue;
    batch.push(recordLeafData(link.hash));
    if (batch.length === 1000 || count === size) {
      frontier = extendTree(nodeHasher, frontier, batch).frontier;
      batch = [];
      if (count === size) root = rootOf(nodeHasher, frontier);
    }
  }
  return { root, count };
}

/** Whether the store holds every record the signed checkpoint covers, unchanged. */
export async function auditCheckpoint(
  reader: RecordReader,
  note: string,
  jwks: unknown,
): Promise<AuditReport> {
  let checkpoint: Checkpoint;
  try {
    checkpoint = await verifyCheckpoint(note, jwks);
  } catch (error) {
    return { ok: false, reason: `the checkpoint itself does not verify: ${(error as Error).message}` };
  }
  const chain = await verifyChain(reader.links());
  const { root, count } = await rootOfFirst(reader.links(), checkpoint.treeSize);
  const signed = `the checkpoint${checkpoint.time ? ` signed ${checkpoint.time}` : ''}`;
  if (count < checkpoint.treeSize) {
    return {
      ok: false,
      reason: `the store holds ${count} records, but ${signed} covers ${checkpoint.treeSize}: records ${count + 1} to ${checkpoint.treeSize} were removed`,
    };
  }
  if (!root || toBase64(root) !== toBase64(checkpoint.rootHash)) {
    return {
      ok: false,
      reason: `the first ${checkpoint.treeSize} records do not hash to the root ${signed} holds: records it covers were changed, removed or replaced since${chain.ok ? ' (and their hash chain was recomputed to hide it)' : ''}`,
    };
  }
  if (!chain.ok) {
    return {
      ok: false,
      reason: `the records the checkpoint covers hold, but the chain breaks at record #${chain.brokenAt}: ${chain.reason}`,
    };
  }
  return { ok: true, checkpoint, records: count };
}

/** The keys saved beside checkpoints, and the store's, together (keys are only ever added). */
export function mergeKeys(...sets: ReadonlyArray<readonly Ed25519PublicJwk[]>): { keys: Ed25519PublicJwk[] } {
  const byKid = new Map<string, Ed25519PublicJwk>();
  for (const set of sets) for (const key of set) if (!byKid.has(key.kid)) byKid.set(key.kid, key);
  return { keys: [...byKid.values()] };
}

export function readSavedKeys(dir: string): Ed25519PublicJwk[] {
  try {
    return ed25519Keys(JSON.parse(readFileSync(join(dir, KEYS_FILE), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`${join(dir, KEYS_FILE)} is not a key set: ${(error as Error).message}`);
  }
}

export type SaveReport =
  | { ok: true; file: string; checkpoint: Checkpoint; previous: number | undefined; unchanged: boolean }
  | { ok: false; reason: string };

/**
 * Saves the store's newest checkpoint into `dir` as `<tree size>.checkpoint`, with the key set
 * as assent-keys.json, after proving it consistent with the newest one saved there before.
 */
export async function saveCheckpoint(reader: RecordReader, dir: string): Promise<SaveReport> {
  const latest = await reader.checkpoint();
  if (!latest)
    return { ok: false, reason: 'the store has signed no checkpoint yet (it signs one as records arrive)' };
  const jwks = mergeKeys(readSavedKeys(dir), await reader.publicKeys());
  let checkpoint: Checkpoint;
  try {
    checkpoint = await verifyCheckpoint(latest.note, jwks);
  } catch (error) {
    return {
      ok: false,
      reason: `the store's newest checkpoint does not verify: ${(error as Error).message}`,
    };
  }
  const saved = readdirSync(dir)
    .map((name) => CHECKPOINT_FILE.exec(name))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const previousSize = saved.at(-1);
  if (previousSize !== undefined) {
    const previousFile = join(dir, `${previousSize}.checkpoint`);
    let previous: Checkpoint;
    try {
      previous = await verifyCheckpoint(readFileSync(previousFile, 'utf8'), jwks);
    } catch (error) {
      return { ok: false, reason: `${previousFile} does not verify: ${(error as Error).message}` };
    }
    if (previous.treeSize > checkpoint.treeSize) {
      return {
        ok: false,
        reason: `the store's newest checkpoint covers ${checkpoint.treeSize} records, fewer than the ${previous.treeSize} of ${previousFile}: records were removed`,
      };
    }
    const proof = await consistencyProof(
      (seqs) => reader.merkleRows(seqs),
      previous.treeSize,
      checkpoint.treeSize,
    );
    if (!(await verifyConsistency(proof, previous.rootHash, checkpoint.rootHash))) {
      return {
        ok: false,
        reason: `the store's tree of ${checkpoint.treeSize} records does not extend ${previousFile}: records it covers were changed or removed`,
      };
    }
  }
  const file = join(dir, `${checkpoint.treeSize}.checkpoint`);
  writeFileSync(join(dir, KEYS_FILE), `${JSON.stringify(jwks, null, 2)}\n`);
  const unchanged = previousSize === checkpoint.treeSize;
  if (!unchanged) writeFileSync(file, latest.note, { flag: 'wx' });
  return { ok: true, file, checkpoint, previous: previousSize, unchanged };
}
