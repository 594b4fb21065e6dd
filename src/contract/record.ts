/**
 * Acceptance and consent records: what the components post to `POST /v1/records`, what the
 * endpoint answers, and what it keeps. JSON Schemas (TypeBox) with the types derived from them,
 * so the endpoint validates exactly what the components are typed to send. Browser code
 * imports only the types (`import type`), which adds nothing to its bundle.
 *
 * A record is evidence: who (pseudonymised), which exact text (document, version, content
 * hash), what choice, when (server and client clock), and how it was shown.
 */
import { Type, type Static } from 'typebox';

/** Record types that are about one version of a document and must name it. */
export const DOCUMENT_RECORD_TYPES: readonly RecordType[] = ['accepted', 'declined', 'acknowledged'];

/** Most records one request may carry. */
export const MAX_BATCH = 100;

export const RecordTypeSchema = Type.Union([
  Type.Literal('accepted'),
  Type.Literal('declined'),
  /** A notice-only update was seen. */
  Type.Literal('acknowledged'),
  /** Cookie choices. */
  Type.Literal('consent'),
  Type.Literal('withdrawn'),
]);
export type RecordType = Static<typeof RecordTypeSchema>;

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
export const CATEGORY_PATTERN = '^[a-z][a-z0-9-]{0,39}$';

export const DocumentRef = Type.Object(
  {
    /** The document's slug in the manifest. */
    slug: Type.String({ pattern: SLUG_PATTERN, maxLength: 100 }),
    /** The version shown (its effective date). */
    version: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    /** The manifest's content hash of that version: what exactly was shown. */
    contentHash: Type.String({ pattern: '^sha256:[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);
export type DocumentRef = Static<typeof DocumentRef>;

export const Subject = Type.Object(
  {
    /** `user`: the partner's user id; `anonymous`: a consent id the component made. */
    kind: Type.Union([Type.Literal('user'), Type.Literal('anonymous')]),
    /** Sent in clear over TLS; the endpoint stores only its keyed hash. */
    id: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const Choice = Type.Union([Type.Literal('granted'), Type.Literal('denied')]);
export type Choice = Static<typeof Choice>;

export const Presentation = Type.Object(
  {
    /** The element that showed it: `assent-accept`. */
    component: Type.String({ minLength: 1, maxLength: 64 }),
    componentVersion: Type.String({ minLength: 1, maxLength: 32 }),
    /** Language of the UI the user saw. */
    locale: Type.String({ minLength: 2, maxLength: 35 }),
    /** The exact text of the button the user pressed. */
    buttonText: Type.String({ maxLength: 200 }),
    /** Whether a checkbox was ticked before the user touched it (it must not be). */
    checkboxPreticked: Type.Boolean(),
    /** Origin of the page: scheme, host and port, `https://shop.example`. */
    pageOrigin: Type.String({ pattern: '^https?://[^/?#]+$', maxLength: 200 }),
    /** Path of the page, without query string or fragment. */
    pagePath: Type.String({ pattern: '^/[^?#]*$', maxLength: 2000 }),
    /**
     * True when the browser sent Global Privacy Control (`navigator.globalPrivacyControl`) and
     * the UI said it was honoured; absent otherwise, so records made before it hash as they did.
     */
    gpc: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Presentation = Static<typeof Presentation>;

/** What a component posts. Which of document, cookies and choices a type needs: see `DOCUMENT_RECORD_TYPES`. */
export const RecordInput = Type.Object(
  {
    /** A UUID made by the client at click time; the idempotency key. */
    id: Type.String({ format: 'uuid' }),
    type: RecordTypeSchema,
    /** The user's clock when they clicked (ISO 8601). */
    clientTime: Type.String({ format: 'date-time', maxLength: 40 }),
    subject: Subject,
    document: Type.Optional(DocumentRef),
    /** For cookie consent: the revision of the cookie configuration that was shown. */
    cookies: Type.Optional(
      Type.Object(
        { revision: Type.String({ minLength: 1, maxLength: 100 }) },
        { additionalProperties: false },
      ),
    ),
    /** For cookie consent: every category, granted or denied explicitly. */
    choices: Type.Optional(
      Type.Record(Type.String({ pattern: CATEGORY_PATTERN }), Choice, {
        minProperties: 1,
        maxProperties: 32,
      }),
    ),
    shown: Presentation,
  },
  { additionalProperties: false },
);
export type RecordInput = Static<typeof RecordInput>;

/** `POST /v1/records` takes one record or an array of up to `MAX_BATCH`. */
export const RecordBatch = Type.Array(RecordInput, { minItems: 1, maxItems: MAX_BATCH });

/** What the endpoint answers for each record: 201 when it was stored now, 200 when it already was. */
export const RecordReceipt = Type.Object({
  id: Type.String(),
  /** Position in the evidence chain. */
  seq: Type.Integer(),
  /** The server's clock when the record became durable: the evidence time. */
  serverTime: Type.String(),
  /** `sha256:<hex>` of the record, chained to the one before it. */
  hash: Type.String(),
  /**
   * The signed receipt (a batch receipt or a compact JWS; src/contract/proof/receipt.ts): what
   * a partner's backend checks offline with `verifyReceipt`. Present in the endpoint's answers.
   */
  receipt: Type.Optional(Type.String()),
});
export type RecordReceipt = Static<typeof RecordReceipt>;

/** A record as the endpoint keeps and exports it. */
export const StoredRecord = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  type: RecordTypeSchema,
  serverTime: Type.String(),
  clientTime: Type.String(),
  subject: Type.Object({
    kind: Type.Union([Type.Literal('user'), Type.Literal('anonymous')]),
    /** `hmac-sha256:<hex>` of the subject id under the server's key. */
    hash: Type.String(),
    /** Which key made the hash, so keys can be rotated. */
    keyVersion: Type.Integer(),
  }),
  document: Type.Union([DocumentRef, Type.Null()]),
  cookies: Type.Union([Type.Object({ revision: Type.String() }), Type.Null()]),
  choices: Type.Union([Type.Record(Type.String(), Choice), Type.Null()]),
  shown: Presentation,
  /** The client's address truncated to /24 (IPv4) or /48 (IPv6), or null when not kept. */
  ip: Type.Union([Type.String(), Type.Null()]),
  /** Browser family (`Chrome`, `Safari`, …), or null when not kept. */
  browser: Type.Union([Type.String(), Type.Null()]),
  /** `sha256:<hex>` of the record before this one; `sha256:` and 64 zeros for the first. */
  prevHash: Type.String(),
  hash: Type.String(),
});
export type StoredRecord = Static<typeof StoredRecord>;
