/**
 * What a walk of the hash chain reports (`GET /v1/verify`, `assent verify`, the console's
 * Integrity view): the whole chain holds, or where it first breaks and why, as a stable code
 * (a UI says it in its reader's language) and in English.
 */
export const CHAIN_BREAKS = ['missing', 'not-json', 'wrong-seq', 'wrong-prev-hash', 'wrong-hash'] as const;
export type ChainBreak = (typeof CHAIN_BREAKS)[number];

export type ChainReport =
  | { ok: true; records: number; lastSeq: number; lastHash: string }
  | { ok: false; records: number; brokenAt: number; code: ChainBreak; reason: string };
