/**
 * Partner keys as `app.partnerKeys` (kept beside the records: partners/partner-keys.ts), and
 * `app.partnerRoute()`: route options that admit a request carrying a working partner key
 * (`Authorization: Bearer <key>`), or a subject token minted with one (a compact JWS:
 * src/contract/subject-token.ts), sent without an Origin header (a backend) or from one of the
 * key's origins (a browser), and put the key on `request.partner` (and the token's claims on
 * `request.subjectToken`). Which documents the key may ask about is the route's to check, once
 * it has read its query. Keys are kept in memory but checked against the store's change mark on
 * every request (partners/cached-partner-keys.ts), so `assent keys create|revoke` take effect
 * without a restart, from the next request on. Wrong keys and forged tokens are counted per
 * address, like wrong operator tokens.
 *
 * CORS for these routes answers an origin that some working key lists (a preflight carries no
 * credential to narrow it further); which key may be used from where is checked above, so a
 * page only ever reads standing with a key or token that lists its origin.
 *
 *   app.get('/v1/standing', { ...app.partnerRoute(), schema }, handler)
 *   app.options('/v1/standing', app.partnerRoute(), preflightOnly)
 */
import { dirname } from 'node:path';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AuthFailures } from '../auth-failures.ts';
import { CachedPartnerKeys } from '../partners/cached-partner-keys.ts';
import { hashPartnerKey, type PartnerKey, type PartnerKeyStore } from '../partners/partner-keys.ts';
import { PostgresPartnerKeys } from '../partners/postgres-partner-keys.ts';
import { SqlitePartnerKeys } from '../partners/sqlite-partner-keys.ts';
import {
  assertInDate,
  isSubjectToken,
  readSubjectToken,
  SubjectTokenError,
  verifySubjectToken,
  type SubjectTokenClaims,
} from '../../contract/subject-token.ts';
import { ProblemError, type ProblemCode } from '../problem.ts';
import { keptPromise, KeptValues } from '../proof/kept-values.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';

export interface PartnerRouteOptions {
  onRequest: onRequestHookHandler[];
  config: {
    rateLimit: false;
    /** @fastify/cors, for this route: GET from an origin some working key lists, with Authorization. */
    cors: {
      origin: (origin: string | undefined, answer: (error: Error | null, allowed?: boolean) => void) => void;
      methods: string[];
      allowedHeaders: string[];
      maxAge: number;
    };
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    partnerKeys: PartnerKeyStore;
    /** Route options admitting a working partner key, from its origins. */
    partnerRoute(): PartnerRouteOptions;
  }
  interface FastifyRequest {
    /** The partner key the request carried (or whose subject token it carried), once checked. */
    partner: PartnerKey | null;
    /** The subject token the request carried, once checked; null for a partner key. */
    subjectToken: SubjectTokenClaims | null;
  }
}

const refused = (detail: string, code: ProblemCode = 'partner-key-refused') =>
  new ProblemError(code, detail, undefined, { 'www-authenticate': 'Bearer realm="assent"' });
const tokenRefused = (detail: string) => refused(detail, 'subject-token-refused');

/** Subject tokens kept once their signature verified: a few hundred bytes each. */
const TOKENS_KEPT = 10_000;

export const partnerAuthPlugin = fp(
  async (app) => {
    const { config, store: records } = app;
    const keys: PartnerKeyStore = new CachedPartnerKeys(
      records.kind === 'sqlite'
        ? new SqlitePartnerKeys(dirname((records as SqliteStore).file))
        : await PostgresPartnerKeys.open(config.databaseUrl!, (message) => app.log.warn(message)),
    );
    app.decorate('partnerKeys', keys);
    app.decorateRequest('partner', null);
    app.decorateRequest('subjectToken', null);
    app.addHook('onClose', async () => keys.close());
    const failures = new AuthFailures();
    /**
     * Tokens whose signature verified, or is being verified, by the key that checks them and the
     * token itself: the elements of one page send the same token, each asking, at once, and an
     * Ed25519 check (about 0.2 ms of CPU here) costs more than the rest of the lookup, so the
     * second request waits for the first one's check rather than making its own. The key is still
     * read and checked (revoked, origins) on every request, and a kept token's dates too.
     */
    const verifiedTokens = new KeptValues<string, Promise<SubjectTokenClaims>>(TOKENS_KEPT);

    const authorize = async (request: FastifyRequest) => {
      const wait = failures.retryAfter(request.ip);
      if (wait > 0) {
        throw new ProblemError(
          'rate-limited',
          `too many wrong partner keys from this address; retry after ${wait} seconds`,
          undefined,
          { 'retry-after': String(wait) },
        );
      }
      const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
      if (!match)
        throw refused('send a partner key as "Authorization: Bearer <key>" (made by `assent keys create`)');
      const credential = match[1]!;
      const token = isSubjectToken(credential) ? await checkToken(request, credential) : undefined;
      const key = token ? token.key : await keys.byHash(hashPartnerKey(credential));
      if (!key) {
        failures.add(request.ip);
        throw refused(
          'this is not a partner key of this endpoint; check the key `assent keys create` printed',
        );
      }
      if (key.revokedAt) {
        throw token
          ? tokenRefused(`the subject token's partner key ${key.id} was revoked at ${key.revokedAt}`)
          : refused(`partner key ${key.id} was revoked at ${key.revokedAt}`);
      }
      const origin = request.headers.origin;
      if (origin !== undefined && !key.origins.includes(origin)) {
        throw new ProblemError(
          'partner-origin-not-allowed',
          token
            ? `subject tokens of partner key ${key.id} may not be used from ${origin} (assent keys create --origin)`
            : `partner key ${key.id} may not be used from ${origin}; ${
                key.origins.length
                  ? `its origins are ${key.origins.join(', ')}`
                  : 'it is for server-to-server requests only'
              } (assent keys create --origin)`,
        );
      }
      request.subjectToken = token?.claims ?? null;
      request.partner = key;
    };

    /**
     * The token's key and claims once its signature verifies; refusals never depend on the
     * subject. A malformed or forged token counts as a wrong key; an expired one does not (a
     * page left open past its token's life is no attack).
     */
    const checkToken = async (request: FastifyRequest, token: string) => {
      try {
        const unchecked = readSubjectToken(token);
        const key = await keys.byId(unchecked.partner);
        const tokenKey = key?.tokenKey;
        if (!key || !tokenKey)
          throw new SubjectTokenError(
            'forged',
            `the subject token names partner key ${unchecked.partner}, which cannot sign tokens here`,
          );
        const claims = await keptPromise(verifiedTokens, `${tokenKey}.${token}`, () =>
          verifySubjectToken(token, tokenKey),
        );
        return { key, claims: assertInDate(claims) };
      } catch (error) {
        if (!(error instanceof SubjectTokenError)) throw error;
        if (error.reason === 'malformed' || error.reason === 'forged') failures.add(request.ip);
        throw tokenRefused(error.message);
      }
    };

    // Preflights carry no credential: an origin is answered when any working key lists it. A
    // request without an Origin (a backend) is answered at once, without waiting a turn.
    const cors: PartnerRouteOptions['config']['cors'] = {
      origin: (origin, answer) => {
        if (origin === undefined) return answer(null, false);
        keys.list().then(
          (all) =>
            answer(
              null,
              all.some((k) => !k.revokedAt && k.origins.includes(origin)),
            ),
          (error: Error) => answer(error),
        );
      },
      methods: ['GET'],
      allowedHeaders: ['authorization'],
      maxAge: 600,
    };

    // As for operator routes: the general rate limit counts the request before the key is checked.
    const limit = app.hasDecorator('rateLimit')
      ? (app as unknown as { rateLimit(): onRequestHookHandler }).rateLimit()
      : undefined;

    app.decorate('partnerRoute', (): PartnerRouteOptions => ({
      onRequest: [...(limit ? [limit] : []), authorize as onRequestHookHandler],
      config: { rateLimit: false, cors },
    }));
  },
  { name: 'assent-partner-auth', fastify: '5.x', dependencies: ['assent-config', 'assent-store'] },
);
