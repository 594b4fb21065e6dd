/**
 * One call for a partner or an auditor holding a receipt: is this record in the log the
 * endpoint signed? Checks the checkpoint's signature against the JWKS, then the inclusion proof
 * of the record's leaf against the checkpoint's root.
 *
 *   const claims = await verifyReceipt(receipt, jwks);
 *   const answer = await (await fetch(`${endpoint}/v1/proof/inclusion?seq=${claims.seq}`)).json();
 *   await verifyRecordInclusion(answer, jwks, { recordHash: claims.hash });
 */
import type { InclusionAnswer } from './api.ts';
import { fromBase64 } from './bytes.ts';
import { CheckpointError, verifyCheckpoint, type Checkpoint } from './checkpoint.ts';
import { recordLeafHash, verifyInclusion } from './merkle.ts';

/** The checkpoint the record is proven in; throws CheckpointError saying what does not hold. */
export async function verifyRecordInclusion(
  answer: InclusionAnswer,
  jwks: unknown,
  expected: { recordHash?: string; origin?: string } = {},
): Promise<Checkpoint> {
  if (expected.recordHash !== undefined && answer.recordHash !== expected.recordHash) {
    throw new CheckpointError(
      `the proof is for record hash ${answer.recordHash}, not ${expected.recordHash}`,
      'proof-hash-mismatch',
      [answer.recordHash, expected.recordHash],
    );
  }
  if (!answer.checkpoint)
    throw new CheckpointError(
      `no checkpoint was signed at tree size ${answer.treeSize}`,
      'no-checkpoint-at-size',
      [answer.treeSize],
    );
  const checkpoint = await verifyCheckpoint(answer.checkpoint, jwks, expected);
  if (checkpoint.treeSize !== answer.treeSize) {
    throw new CheckpointError(
      `the checkpoint is of ${checkpoint.treeSize} records, the proof of ${answer.treeSize}`,
      'proof-size-mismatch',
      [checkpoint.treeSize, answer.treeSize],
    );
  }
  const proof = { leafIndex: answer.seq - 1, treeSize: answer.treeSize, path: answer.path.map(fromBase64) };
  if (!(await verifyInclusion(proof, await recordLeafHash(answer.recordHash), checkpoint.rootHash))) {
    throw new CheckpointError(
      `record ${answer.seq} is not in the tree of ${answer.treeSize} records the checkpoint signed`,
      'not-included',
      [answer.seq, answer.treeSize],
    );
  }
  return checkpoint;
}
