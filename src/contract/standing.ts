/**
 * A subject's standing on a document: the version in effect, the subject's latest acceptance
 * or acknowledgement, and what is needed now. `GET /v1/standing` answers it (schemas below, the
 * types derived from them); `standingOf` decides it, the same way wherever it runs.
 */
import { Type, type Static } from 'typebox';
import type { CalendarDate } from './dates.ts';
import type { AcceptanceMode } from './manifest.ts';
import { SLUG_PATTERN } from './record.ts';
import { timeline, type DatedVersion } from './versions.ts';

/** `accept`: a required version was not accepted; `acknowledge`: a notice was not seen; `nothing`. */
export const Needed = Type.Union([
  Type.Literal('accept'),
  Type.Literal('acknowledge'),
  Type.Literal('nothing'),
]);
export type Needed = Static<typeof Needed>;

const AssentType = Type.Union([Type.Literal('accepted'), Type.Literal('acknowledged')]);

/** A record of the subject's, as standing names it. */
const assentFields = {
  version: Type.String(),
  seq: Type.Integer(),
  serverTime: Type.String(),
  /** The record's signed receipt (one of a batch, as POST /v1/records gives; verify it with `verifyReceipt`). */
  receipt: Type.String(),
};

export const DocumentStanding = Type.Object({
  document: Type.String(),
  /** The version in effect today, or null before the first one takes effect. */
  inEffect: Type.Union([
    Type.Object({
      version: Type.String(),
      acceptance: Type.Union([Type.Literal('required'), Type.Literal('notice')]),
      contentHash: Type.String(),
    }),
    Type.Null(),
  ]),
  /** The subject's latest `accepted` or `acknowledged` record of the document, or null. */
  latest: Type.Union([Type.Object({ ...assentFields, type: AssentType }), Type.Null()]),
  /**
   * The subject's latest `accepted` record of the document (the same as `latest` unless a notice
   * was acknowledged since), or null: what `<assent-accept>` shows and submits on another device.
   */
  accepted: Type.Union([Type.Object(assentFields), Type.Null()]),
  needed: Needed,
});
export type DocumentStanding = Static<typeof DocumentStanding>;

export const StandingAnswer = Type.Object({
  /** The day the versions in effect were decided for (UTC). */
  today: Type.String(),
  documents: Type.Array(DocumentStanding),
});
export type StandingAnswer = Static<typeof StandingAnswer>;

const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: 100 });

export const StandingQuery = Type.Object(
  {
    /** Required with a partner key; with a subject token, the token names the subject. */
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    /** One or more slugs: `?document=a&document=b`. */
    document: Type.Array(Slug, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type StandingQuery = Static<typeof StandingQuery>;

export interface StandingVersion extends DatedVersion {
  acceptance: AcceptanceMode;
}

/** A version the subject accepted or acknowledged (`type`), by its effective date. */
export interface Assent {
  version: string;
  type: 'accepted' | 'acknowledged';
}

/**
 * What a subject needs to do on `today`, given the document's versions and what the subject
 * accepted or acknowledged. Accepting is needed when the newest required version in effect
 * was not accepted, nor any later one; acknowledging when the version in effect is a notice
 * that was neither accepted nor acknowledged (nor a later one). Versions are named by their
 * effective dates, so "later" compares names.
 *
 *   standingOf(versions, [{ version: '2018-06-01', type: 'accepted' }], '2026-11-28')
 *     → { inEffect: <2018-06-01>, needed: 'nothing' }
 */
export function standingOf<V extends StandingVersion>(
  versions: readonly V[],
  assents: readonly Assent[],
  today: CalendarDate,
): { inEffect: V | undefined; needed: Needed } {
  const { current } = timeline(versions, today);
  if (!current) return { inEffect: undefined, needed: 'nothing' };
  const required = versions
    .filter((v) => v.acceptance === 'required' && v.published <= today && v.effective <= today)
    .reduce<V | undefined>(
      (newest, v) => (newest && newest.effective >= v.effective ? newest : v),
      undefined,
    );
  const accepted = (from: string) => assents.some((a) => a.type === 'accepted' && a.version >= from);
  if (required && !accepted(required.effective)) return { inEffect: current, needed: 'accept' };
  if (current.acceptance === 'notice' && !assents.some((a) => a.version >= current.effective))
    return { inEffect: current, needed: 'acknowledge' };
  return { inEffect: current, needed: 'nothing' };
}
