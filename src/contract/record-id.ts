/**
 * Record ids: UUID version 7 (RFC 9562), made by the client at click time. The first 48 bits
 * are the time in milliseconds, so ids made close together sort together: the endpoint's
 * unique index on ids then grows at its end instead of being written all over, which keeps
 * durable inserts cheap. Works in browsers and in Node (Web Crypto).
 *
 *   recordId() → '019a3f4e-6c2b-7d41-9a3e-5b8c0f2e7a19'
 */
export function recordId(now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(now / 2 ** (8 * (5 - i))) & 0xff;
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
