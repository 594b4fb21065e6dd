/**
 * Partner keys as `app.partnerKeys` (kept beside the records: partners/partner-keys.ts), and
 * `app.partnerRoute()`: route options that admit a request carrying a working partner key
 * (`Authorization: Bearer <key>`), sent without an Origin header (a backend) or from one of the
 * key's origins (a browser), and put the key on `request.partner`. Which documents the key may
 * ask about is the route's to check, once it has read its query. Keys are looked up on every
 * request, so `assent keys create|revoke` take effect without a restart. Wrong keys are counted
 * per address, like wrong operator tokens.
 *
 *   app.get('/v1/standing', { ...app.partnerRoute(), schema }, handler)
 */
import { dirname } from 'node:path';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AuthFailures } from '../auth-failures.ts';
import { hashPartnerKey, type PartnerKey, type PartnerKeyStore } from '../partners/partner-keys.ts';
import { PostgresPartnerKeys } from '../partners/postgres-partner-keys.ts';
import { SqlitePartnerKeys } from '../partners/sqlite-partner-keys.ts';
import { ProblemError } from '../problem.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';

export interface PartnerRouteOptions {
  onRequest: onRequestHookHandler[];
  config: { rateLimit: false };
}

declare module 'fastify' {
  interface FastifyInstance {
    partnerKeys: PartnerKeyStore;
    /** Route options admitting a working partner key, from its origins. */
    partnerRoute(): PartnerRouteOptions;
  }
  interface FastifyRequest {
    /** The partner key the request carried, once checked. */
    partner: PartnerKey | null;
  }
}

const refused = (detail: string) =>
  new ProblemError('partner-key-refused', detail, undefined, { 'www-authenticate': 'Bearer realm="assent"' });

export const partnerAuthPlugin = fp(
  async (app) => {
    const { config, store: records } = app;
    const keys: PartnerKeyStore =
      records.kind === 'sqlite'
        ? new SqlitePartnerKeys(dirname((records as SqliteStore).file))
        : await PostgresPartnerKeys.open(config.databaseUrl!, (message) => app.log.warn(message));
    app.decorate('partnerKeys', keys);
    app.decorateRequest('partner', null);
    app.addHook('onClose', async () => keys.close());
    const failures = new AuthFailures();

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
      const key = await keys.byHash(hashPartnerKey(match[1]!));
      if (!key) {
        failures.add(request.ip);
        throw refused(
          'this is not a partner key of this endpoint; check the key `assent keys create` printed',
        );
      }
      if (key.revokedAt) throw refused(`partner key ${key.id} was revoked at ${key.revokedAt}`);
      const origin = request.headers.origin;
      if (origin !== undefined && !key.origins.includes(origin)) {
        throw new ProblemError(
          'partner-origin-not-allowed',
          `partner key ${key.id} may not be used from ${origin}; ${
            key.origins.length
              ? `its origins are ${key.origins.join(', ')}`
              : 'it is for server-to-server requests only'
          } (assent keys create --origin)`,
        );
      }
      request.partner = key;
    };

    // As for operator routes: the general rate limit counts the request before the key is checked.
    const limit = app.hasDecorator('rateLimit')
      ? (app as unknown as { rateLimit(): onRequestHookHandler }).rateLimit()
      : undefined;

    app.decorate('partnerRoute', (): PartnerRouteOptions => ({
      onRequest: [...(limit ? [limit] : []), authorize as onRequestHookHandler],
      config: { rateLimit: false },
    }));
  },
  { name: 'assent-partner-auth', fastify: '5.x', dependencies: ['assent-config', 'assent-store'] },
);
