/**
 * Who may use the operator routes, as `app.operatorRoute(role)`: route options that check the
 * bearer token before the route runs. Two roles: the admin token (`operatorToken`) may do
 * everything; the auditor token (`auditorToken`) may read, verify, export and see the stats,
 * never administer (keys, webhooks). Tokens are compared in constant time; wrong ones are
 * counted per address (auth-failures.ts), whatever role they were meant for.
 *
 *   app.get('/v1/stats', { ...app.operatorRoute('auditor'), schema }, handler)
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { AuthFailures } from '../auth-failures.ts';
import { ProblemError } from '../problem.ts';

/** `auditor`: read, verify, export, stats. `admin`: all of that and administration. */
export type OperatorRole = 'auditor' | 'admin';

/** What each role may do, widest last: a route that needs `auditor` also admits `admin`. */
const RANK: Record<OperatorRole, number> = { auditor: 1, admin: 2 };

export interface OperatorRouteOptions {
  onRequest: onRequestHookHandler[];
  config: { rateLimit: false };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Route options admitting `role` and every wider one. */
    operatorRoute(role: OperatorRole): OperatorRouteOptions;
  }
  interface FastifyRequest {
    /** The role of the token the request carried, once checked. */
    operatorRole: OperatorRole | null;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export const operatorAuthPlugin = fp(
  async (app) => {
    const { operatorToken, auditorToken } = app.config;
    // Hashing first gives equal lengths, so timingSafeEqual reveals nothing about a token.
    const tokens: Array<{ role: OperatorRole; digest: Buffer }> = [];
    if (operatorToken) tokens.push({ role: 'admin', digest: digest(operatorToken) });
    if (auditorToken) tokens.push({ role: 'auditor', digest: digest(auditorToken) });
    const failures = new AuthFailures();
    app.decorateRequest('operatorRole', null);

    /** The role of the presented token; every configured token is compared, so timing says nothing of which matched. */
    const roleOf = (presented: string): OperatorRole | undefined => {
      const given = digest(presented);
      let role: OperatorRole | undefined;
      for (const token of tokens) if (timingSafeEqual(given, token.digest)) role = token.role;
      return role;
    };

    const authorize = (needed: OperatorRole) => async (request: FastifyRequest) => {
      if (tokens.length === 0) {
        throw new ProblemError(
          'operator-routes-disabled',
          'set an admin token (ASSENT_OPERATOR_TOKEN) or an auditor token (ASSENT_AUDITOR_TOKEN) to use the operator routes',
        );
      }
      const wait = failures.retryAfter(request.ip);
      if (wait > 0) {
        throw new ProblemError(
          'rate-limited',
          `too many wrong operator tokens from this address; retry after ${wait} seconds`,
          undefined,
          { 'retry-after': String(wait) },
        );
      }
      const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
      const role = match ? roleOf(match[1]!) : undefined;
      if (!role) {
        failures.add(request.ip);
        throw new ProblemError(
          'unauthorized',
          'send an operator token (admin or auditor) as "Authorization: Bearer <token>"',
          undefined,
          { 'www-authenticate': 'Bearer realm="assent"' },
        );
      }
      if (RANK[role] < RANK[needed]) {
        throw new ProblemError(
          'role-not-allowed',
          `${request.method} ${request.url.split('?')[0]} needs the ${needed} token; this is the ${role} token`,
        );
      }
      request.operatorRole = role;
    };

    // The general rate limit must count a request before the token is checked: as a plugin hook
    // it would run after the route's own onRequest, and never see a refused token.
    const limit = app.hasDecorator('rateLimit')
      ? (app as unknown as { rateLimit(): onRequestHookHandler }).rateLimit()
      : undefined;

    app.decorate('operatorRoute', (role: OperatorRole): OperatorRouteOptions => ({
      onRequest: [...(limit ? [limit] : []), authorize(role) as onRequestHookHandler],
      config: { rateLimit: false },
    }));
  },
  { name: 'assent-operator-auth', fastify: '5.x', dependencies: ['assent-config'] },
);
