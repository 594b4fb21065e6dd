/**
 * Errors as RFC 9457 problem details (`application/problem+json`), each with a stable `code`
 * that clients and tests can rely on. 4xx details reach the client; a 5xx says only "internal
 * error" (the log has the rest). https://www.rfc-editor.org/rfc/rfc9457
 */
import { Type, type Static } from 'typebox';

export const PROBLEM_CODES = {
  'malformed-request': 400,
  'malformed-json': 400,
  'invalid-record': 400,
  'invalid-query': 400,
  'invalid-webhook-url': 400,
  'body-too-large': 413,
  'unsupported-media-type': 415,
  unauthorized: 401,
  'operator-routes-disabled': 403,
  'role-not-allowed': 403,
  'origin-not-allowed': 403,
  'partner-key-refused': 401,
  'partner-origin-not-allowed': 403,
  'document-not-allowed': 403,
  'subject-token-refused': 401,
  'subject-not-in-token': 403,
  'not-found': 404,
  'no-checkpoint': 404,
  'proof-out-of-range': 400,
  'id-conflict': 409,
  'unknown-document': 422,
  'unknown-version': 422,
  'content-hash-mismatch': 422,
  'record-not-valid-for-manifest': 422,
  'request-timeout': 408,
  'rate-limited': 429,
  'headers-too-large': 431,
  'internal-error': 500,
  'store-unavailable': 503,
  'shutting-down': 503,
  'not-ready': 503,
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export const ProblemDetail = Type.Object({
  /** JSON Pointer into the request body: `/document/contentHash`, `/2/choices` in a batch. */
  pointer: Type.String(),
  message: Type.String(),
});
export type ProblemDetail = Static<typeof ProblemDetail>;

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(ProblemDetail)),
});
export type Problem = Static<typeof Problem>;

const TITLES: Record<ProblemCode, string> = {
  'malformed-request': 'The request is not valid HTTP',
  'malformed-json': 'The body is not valid JSON',
  'invalid-record': 'The record does not match the schema',
  'invalid-query': 'The query parameters are not valid',
  'invalid-webhook-url': 'This URL cannot receive webhooks',
  'body-too-large': 'The body is too large',
  'unsupported-media-type': 'Unsupported content type',
  unauthorized: 'Missing or wrong operator token',
  'operator-routes-disabled': 'Operator routes are disabled',
  'role-not-allowed': 'This token’s role may not use this route',
  'origin-not-allowed': 'This origin may not post records',
  'partner-key-refused': 'Missing, wrong or revoked partner key',
  'partner-origin-not-allowed': 'This partner key may not be used from this origin',
  'document-not-allowed': 'This partner key may not ask about this document',
  'subject-token-refused': 'Malformed, forged, expired or revoked subject token',
  'subject-not-in-token': 'A subject token answers only for its own subject',
  'not-found': 'Not found',
  'no-checkpoint': 'No checkpoint has been signed yet',
  'proof-out-of-range': 'The tree does not hold what the proof asks for',
  'id-conflict': 'A different record already has this id',
  'unknown-document': 'Unknown document',
  'unknown-version': 'Unknown version',
  'content-hash-mismatch': 'The content hash does not match the published version',
  'record-not-valid-for-manifest': 'The record does not match what the site published',
  'request-timeout': 'The request took too long to arrive',
  'rate-limited': 'Too many requests',
  'headers-too-large': 'The request headers are too large',
  'internal-error': 'Internal error',
  'store-unavailable': 'The record store cannot be reached just now',
  'shutting-down': 'The endpoint is shutting down',
  'not-ready': 'The endpoint is not ready',
};

/** An error that becomes a problem response. */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors: ProblemDetail[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ProblemCode,
    detail: string,
    errors?: ProblemDetail[],
    headers: Record<string, string> = {},
  ) {
    super(detail);
    this.code = code;
    this.status = PROBLEM_CODES[code];
    this.errors = errors;
    this.headers = headers;
  }

  toProblem(instance?: string): Problem {
    return problem(this.code, this.message, this.errors, instance);
  }
}

export function problem(
  code: ProblemCode,
  detail: string,
  errors?: ProblemDetail[],
  instance?: string,
): Problem {
  return {
    type: `urn:assent:problem:${code}`,
    title: TITLES[code],
    status: PROBLEM_CODES[code],
    detail,
    code,
    ...(instance ? { instance } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}
