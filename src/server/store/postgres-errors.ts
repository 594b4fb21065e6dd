/**
 * Which PostgreSQL errors mean "the database is not reachable right now" rather than "this
 * query is wrong": those become a 503 with Retry-After, and the pool replaces the lost
 * connections on the next request, so the endpoint recovers without a restart.
 *
 * SQLSTATE classes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import { StoreUnavailableError } from './record-store.ts';

/** Socket errors of a connection that is refused, reset or cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * 57P01 admin_shutdown (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown,
 * 57P03 cannot_connect_now (starting up or in recovery), 53300 too_many_connections,
 * and class 08, connection exceptions.
 */
function unavailableSqlState(code: string): boolean {
  return (
    code === '57P01' || code === '57P02' || code === '57P03' || code === '53300' || code.startsWith('08')
  );
}

/** node-postgres's own messages for a connection that died or never came. */
const LOST_CONNECTION =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/;

export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || unavailableSqlState(code))) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionLoss);
  return LOST_CONNECTION.test(error.message);
}

/** The error as the store reports it: a StoreUnavailableError when the database is out of reach. */
export function asStoreError(error: unknown): unknown {
  if (!isConnectionLoss(error)) return error;
  return new StoreUnavailableError(
    `the PostgreSQL database cannot be reached (${(error as Error).message}); retry shortly`,
    5,
    { cause: error },
  );
}
