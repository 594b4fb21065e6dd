/**
 * How a webhook delivery is signed, as Stripe and GitHub sign theirs: HMAC-SHA256 with the
 * webhook's secret over `<timestamp>.<body>`, sent as `Assent-Signature: t=<unix seconds>,v1=<hex>`.
 * A receiver recomputes it over the raw body, compares in constant time, and refuses a
 * timestamp too far from its clock (a replayed old delivery).
 *
 *   const header = signatureHeader(secret, body, Math.floor(Date.now() / 1000));
 *   verifySignature(secret, body, header, { toleranceSeconds: 300 }) // → true
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'assent-signature';

export function sign(secret: string, body: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${sign(secret, body, timestamp)}`;
}

/** What a receiver does: true when `header` signs `body` with `secret` within the tolerance. */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  { toleranceSeconds = 300, now = Date.now() }: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, body, timestamp), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}
