/**
 * `GET /v1/checkpoints`: the signed checkpoints, newest first, paged by keyset on the tree size
 * (`before` = the `next` of the previous page), for the console's Integrity view and for an
 * auditor who copies them off the machine. Each is a `CheckpointAnswer`, checked as the newest
 * one is (`verifyCheckpoint` against the JWKS): the figures beside the note are the note's.
 */
import { Type, type Static } from 'typebox';
import { CheckpointAnswer } from './proof/api.ts';

export const CheckpointsQuery = Type.Object(
  {
    /** Only checkpoints of fewer records: the previous page's `next`. */
    before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })),
    /** 1 to 100, default 20. */
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-9][0-9]|100)$' })),
  },
  { additionalProperties: false },
);
export type CheckpointsQuery = Static<typeof CheckpointsQuery>;

export const CheckpointsPage = Type.Object({
  checkpoints: Type.Array(CheckpointAnswer),
  /** `before` for the next (older) page; null when nothing older is left. */
  next: Type.Union([Type.Integer(), Type.Null()]),
});
export type CheckpointsPage = Static<typeof CheckpointsPage>;
