/**
 * Signed checkpoints of the record log: a C2SP signed note (https://c2sp.org/signed-note)
 * whose text is a C2SP tlog checkpoint (https://c2sp.org/tlog-checkpoint): the origin, the
 * tree size, the base64 root hash, and one extension line with the time it was signed.
 *
 *   assent.example/records
 *   20
 *   CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
 *   time 2026-11-28T18:00:00.000Z
 *
 *   — assent.example/records Az3grlgt…
 *
 * Each signature is base64(key ID || Ed25519 signature of the text), the key ID being the
 * first four bytes of SHA-256(key name || 0x0A || 0x01 || public key). The key name is the
 * origin. `verifyCheckpoint` checks one against the endpoint's JWKS.
 */
import { concat, equalBytes, fromBase64, sha256Bytes, toBase64, utf8, type Bytes } from './bytes.ts';
import { ed25519Keys, ed25519Verify, publicKeyBytes } from './keys.ts';

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  /** When the endpoint signed it (ISO 8601), from the `time` extension line. */
  time: string | undefined;
}

export interface NoteSignature {
  name: string;
  keyId: Bytes;
  signature: Bytes;
}

/**
 * Why a checkpoint or a proof does not hold, as a stable code with the values its message
 * names, so that a UI can say it in the reader's language (the console's `proofReason.*`).
 */
export type CheckpointFailure =
  | 'note-control-characters'
  | 'note-no-blank-line'
  | 'note-signature-line'
  | 'checkpoint-lines'
  | 'checkpoint-size'
  | 'checkpoint-root'
  | 'checkpoint-empty-line'
  | 'origin-mismatch'
  | 'signature-mismatch'
  | 'unsigned'
  | 'proof-hash-mismatch'
  | 'no-checkpoint-at-size'
  | 'proof-size-mismatch'
  | 'not-included';

export class CheckpointError extends Error {
  readonly reason: CheckpointFailure;
  /** What the message names, in its order (a line number, a key id, sizes, hashes). */
  readonly values: ReadonlyArray<string | number>;
  constructor(message: string, reason: CheckpointFailure, values: ReadonlyArray<string | number> = []) {
    super(message);
    this.reason = reason;
    this.values = values;
  }
}

const ED25519_TYPE = 0x01;

/** SHA-256(name || 0x0A || 0x01 || public key)[:4], as C2SP signed-note recommends. */
export async function noteKeyId(name: string, publicKey: Uint8Array): Promise<Bytes> {
  const digest = await sha256Bytes(concat(utf8(name), Uint8Array.of(0x0a, ED25519_TYPE), publicKey));
  return digest.slice(0, 4);
}

/** Splits a signed note into its text (with its final newline) and its signature lines. */
export function parseSignedNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) {
    throw new CheckpointError(
      'a signed note may hold no control characters but newlines',
      'note-control-characters',
    );
  }
  const at = note.lastIndexOf('\n\n');
  if (at < 0 || !note.endsWith('\n')) {
    throw new CheckpointError(
      'not a signed note: no blank line before the signature lines',
      'note-no-blank-line',
    );
  }
  const text = note.slice(0, at + 1);
  const signatures = note
    .slice(at + 2, -1)
    .split('\n')
    .map((line, i) => {
      const match = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!match)
        throw new CheckpointError(
          `signature line ${i + 1} is not "— <name> <base64>"`,
          'note-signature-line',
          [i + 1],
        );
      let bytes: Bytes;
      try {
        bytes = fromBase64(match[2]!);
      } catch {
        throw new CheckpointError(`signature line ${i + 1} is not base64`, 'note-signature-line', [i + 1]);
      }
      if (bytes.length < 5)
        throw new CheckpointError(`signature line ${i + 1} is too short`, 'note-signature-line', [i + 1]);
      return { name: match[1]!, keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
    });
  return { text, signatures };
}

/** Reads the checkpoint lines of a note's text (signatures not checked). */
export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (!origin || size === undefined || root === undefined) {
    throw new CheckpointError(
      'a checkpoint has an origin, a tree size and a root hash, one a line',
      'checkpoint-lines',
    );
  }
  if (!/^(?:0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new CheckpointError(
      `the tree size ${JSON.stringify(size)} is not a decimal number`,
      'checkpoint-size',
      [JSON.stringify(size)],
    );
  }
  let rootHash: Bytes;
  try {
    rootHash = fromBase64(root);
  } catch {
    throw new CheckpointError('the root hash is not base64', 'checkpoint-root');
  }
  if (rootHash.length !== 32) throw new CheckpointError('the root hash is not 32 bytes', 'checkpoint-root');
  if (extensions.some((line) => line === ''))
    throw new CheckpointError('a checkpoint line is empty', 'checkpoint-empty-line');
  const time = extensions.find((line) => line.startsWith('time '))?.slice(5);
  return { origin, treeSize: Number(size), rootHash, time };
}

export function checkpointText(checkpoint: Checkpoint): string {
  const { origin, treeSize, rootHash, time } = checkpoint;
  return `${origin}\n${treeSize}\n${toBase64(rootHash)}\n${time ? `time ${time}\n` : ''}`;
}

/**
 * The checkpoint a signed note holds, if a key of `jwks` named by the origin signed it. As the
 * signed-note spec asks: signatures by unknown keys are ignored; one by a known key that fails
 * rejects the note; so does a note no known key signed.
 */
export async function verifyCheckpoint(
  note: string,
  jwks: unknown,
  expected: { origin?: string } = {},
): Promise<Checkpoint> {
  const { text, signatures } = parseSignedNote(note);
  const checkpoint = parseCheckpointText(text);
  if (expected.origin !== undefined && checkpoint.origin !== expected.origin) {
    throw new CheckpointError(
      `the checkpoint is of ${checkpoint.origin}, not ${expected.origin}`,
      'origin-mismatch',
      [checkpoint.origin, expected.origin],
    );
  }
  const keys = await Promise.all(
    ed25519Keys(jwks).map(async (jwk) => ({
      jwk,
      id: await noteKeyId(checkpoint.origin, publicKeyBytes(jwk)),
    })),
  );
  let verified = false;
  const data = utf8(text);
  for (const signature of signatures) {
    if (signature.name !== checkpoint.origin) continue;
    const key = keys.find((k) => equalBytes(k.id, signature.keyId));
    if (!key) continue;
    if (!(await ed25519Verify(key.jwk, signature.signature, data))) {
      throw new CheckpointError(
        `the signature by key ${key.jwk.kid} does not match the checkpoint`,
        'signature-mismatch',
        [key.jwk.kid],
      );
    }
    verified = true;
  }
  if (!verified) throw new CheckpointError('no key of the key set signed this checkpoint', 'unsigned');
  return checkpoint;
}
