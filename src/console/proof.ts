/**
 * The endpoint's proofs, checked in this browser rather than taken on its word: the newest
 * checkpoint's signature against the endpoint's JWKS, and a record's inclusion proof against
 * that checkpoint's root, with the verifiers of src/contract/proof/ (Web Crypto only).
 *
 *   const latest = await latestCheckpoint(api);          // throws if the signature fails
 *   const listed = await listedCheckpoint(answer, jwks); // one of GET /v1/checkpoints, the same way
 *   const place = await recordInclusion(api, record);    // { in: 'checkpoint', … } or { in: 'none-yet', … }
 *
 * What fails throws CheckpointError (src/contract/proof/) or AnswerError (here), each with a
 * reason code that proof-reasons.ts says in the reader's language.
 */
import type { CheckpointAnswer } from '../contract/proof/api.ts';
import {
  noteKeyId,
  parseCheckpointText,
  parseSignedNote,
  verifyCheckpoint,
  type Checkpoint,
} from '../contract/proof/checkpoint.ts';
import { equalBytes, toBase64 } from '../contract/proof/bytes.ts';
import { verifyRecordInclusion } from '../contract/proof/inclusion.ts';
import { ed25519Keys, publicKeyBytes } from '../contract/proof/keys.ts';
import type { StoredRecord } from '../contract/record.ts';
import type { Api } from './api.ts';

/** The endpoint answered beside a signed note something the note does not say. */
export type AnswerFailure = 'answer-size' | 'answer-root' | 'answer-time' | 'proof-record';

export class AnswerError extends Error {
  readonly reason: AnswerFailure;
  readonly values: ReadonlyArray<string | number>;
  constructor(message: string, reason: AnswerFailure, values: ReadonlyArray<string | number>) {
    super(message);
    this.reason = reason;
    this.values = values;
  }
}

/** A checkpoint whose signature this browser checked. */
export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  /** The note as signed: what an operator keeps off the machine. */
  note: string;
  /** The `kid`s of the JWKS keys whose signatures on the note verified. */
  signedBy: string[];
  /** The JWKS it was checked against, as served. */
  jwks: unknown;
}

export type RecordInclusion =
  | ({ in: 'checkpoint' } & VerifiedCheckpoint)
  /** The record is newer than the newest checkpoint, which covers `treeSize` records. */
  | { in: 'none-yet'; treeSize: number };

/**
 * The kids of the known keys that signed the note. Call it after `verifyCheckpoint` passed:
 * a known key's signature that fails makes that throw, so each kid found here verified.
 */
async function signers(note: string, jwks: unknown): Promise<string[]> {
  const { text, signatures } = parseSignedNote(note);
  const { origin } = parseCheckpointText(text);
  const kids: string[] = [];
  for (const jwk of ed25519Keys(jwks)) {
    const id = await noteKeyId(origin, publicKeyBytes(jwk));
    if (signatures.some((s) => s.name === origin && equalBytes(s.keyId, id))) kids.push(jwk.kid);
  }
  return kids;
}

async function verified(note: string, jwks: unknown, checkpoint: Checkpoint): Promise<VerifiedCheckpoint> {
  return { checkpoint, note, signedBy: await signers(note, jwks), jwks };
}

/** The newest checkpoint, its signature checked against the endpoint's keys. */
export async function latestCheckpoint(api: Api): Promise<VerifiedCheckpoint> {
  const [answer, jwks] = await Promise.all([api.checkpoint(), api.signingKeys()]);
  return listedCheckpoint(answer, jwks);
}

/** A checkpoint as the endpoint answered it, its signature checked against `jwks`. */
export async function listedCheckpoint(answer: CheckpointAnswer, jwks: unknown): Promise<VerifiedCheckpoint> {
  const checkpoint = await verifyCheckpoint(answer.note, jwks);
  sameAsAnswered(checkpoint, answer);
  return verified(answer.note, jwks, checkpoint);
}

/** The fields the endpoint answered beside the note must be the note's, or the page would show unsigned figures. */
function sameAsAnswered(checkpoint: Checkpoint, answer: CheckpointAnswer): void {
  if (checkpoint.treeSize !== answer.treeSize) {
    throw new AnswerError(
      `the endpoint says ${answer.treeSize} records, the signed checkpoint ${checkpoint.treeSize}`,
      'answer-size',
      [answer.treeSize, checkpoint.treeSize],
    );
  }
  const root = toBase64(checkpoint.rootHash);
  if (root !== answer.rootHash) {
    throw new AnswerError(
      `the endpoint says the root hash is ${answer.rootHash}, the signed checkpoint ${root}`,
      'answer-root',
      [answer.rootHash, root],
    );
  }
  if (checkpoint.time !== undefined && checkpoint.time !== answer.signedAt) {
    throw new AnswerError(
      `the endpoint says it was signed ${answer.signedAt}, the signed checkpoint ${checkpoint.time}`,
      'answer-time',
      [answer.signedAt, checkpoint.time],
    );
  }
}

/**
 * Where the record is proven: in the newest checkpoint (signature and inclusion proof both
 * checked here), or in none yet. Throws CheckpointError or AnswerError saying what does not hold, or the
 * API's error when the endpoint does not answer.
 */
export async function recordInclusion(api: Api, record: StoredRecord): Promise<RecordInclusion> {
  const [answer, jwks] = await Promise.all([api.checkpoint(), api.signingKeys()]);
  if (record.seq > answer.treeSize) return { in: 'none-yet', treeSize: answer.treeSize };
  const proof = await api.inclusion(record.seq, answer.treeSize);
  if (proof.seq !== record.seq) {
    throw new AnswerError(
      `the endpoint answered a proof for record ${proof.seq}, not ${record.seq}`,
      'proof-record',
      [proof.seq, record.seq],
    );
  }
  const checkpoint = await verifyRecordInclusion(proof, jwks, { recordHash: record.hash });
  return { in: 'checkpoint', ...(await verified(proof.checkpoint!, jwks, checkpoint)) };
}
