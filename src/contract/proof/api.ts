/**
 * What the endpoint's proof routes answer, as JSON Schemas (TypeBox) with their types, like
 * src/contract/record.ts. Hashes are base64 (as in checkpoints). Browser code imports only the
 * types.
 *
 *   GET /v1/checkpoint                          the newest signed checkpoint
 *   GET /v1/proof/inclusion?seq=7&size=20       record 7 is leaf 6 of the tree of 20 records
 *   GET /v1/proof/consistency?from=10&to=20     the tree of 20 extends the tree of 10
 *   GET /.well-known/assent-keys.json           the public keys (JWKS)
 */
import { Type, type Static } from 'typebox';

const Base64Hash = Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' });

export const CheckpointAnswer = Type.Object({
  treeSize: Type.Integer(),
  rootHash: Base64Hash,
  signedAt: Type.String(),
  /** The signed note (c2sp.org/tlog-checkpoint): check it with `verifyCheckpoint`. */
  note: Type.String(),
});
export type CheckpointAnswer = Static<typeof CheckpointAnswer>;

/** Query strings arrive as text (and the endpoint coerces nothing): whole numbers from 1. */
const Count = Type.String({ pattern: '^[1-9][0-9]{0,15}$' });

export const InclusionQuery = Type.Object(
  {
    /** The record (its receipt's `seq`). */
    seq: Count,
    /** Tree size of the checkpoint to prove against; the newest checkpoint's by default. */
    size: Type.Optional(Count),
  },
  { additionalProperties: false },
);

export const InclusionAnswer = Type.Object({
  seq: Type.Integer(),
  leafIndex: Type.Integer(),
  treeSize: Type.Integer(),
  /** The record's chain hash: its leaf data. */
  recordHash: Type.String(),
  path: Type.Array(Base64Hash),
  /** The signed checkpoint of `treeSize`, when one was signed at that size. */
  checkpoint: Type.Union([Type.String(), Type.Null()]),
});
export type InclusionAnswer = Static<typeof InclusionAnswer>;

export const ConsistencyQuery = Type.Object(
  {
    from: Type.String({ pattern: '^(?:0|[1-9][0-9]{0,15})$' }),
    to: Count,
  },
  { additionalProperties: false },
);

export const ConsistencyAnswer = Type.Object({
  fromSize: Type.Integer(),
  toSize: Type.Integer(),
  path: Type.Array(Base64Hash),
});
export type ConsistencyAnswer = Static<typeof ConsistencyAnswer>;

export const JwksAnswer = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.Literal('OKP'),
      crv: Type.Literal('Ed25519'),
      x: Type.String(),
      kid: Type.String(),
      alg: Type.Optional(Type.Literal('EdDSA')),
      use: Type.Optional(Type.Literal('sig')),
    }),
  ),
});
