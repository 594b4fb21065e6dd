/**
 * What the endpoint keeps about the client, reduced to what evidence needs: the network
 * (address truncated to /24 or /48) and the browser family, never the full address or user
 * agent. Both can be switched off in the configuration.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** `truncateIp('203.0.113.77')` → `'203.0.113.0/24'`; `truncateIp('2001:db8:1:2::1')` → `'2001:db8:1::/48'`. */
export function truncateIp(address: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return truncateIp(mapped[1]!);
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(address)) {
    const groups = expandIpv6(address)
      .slice(0, 3)
      .map((g) => g.replace(/^0+(?=.)/, ''));
    // Written short, as people write prefixes: 2001:db8::/48, not 2001:db8:0::/48.
    while (groups.at(-1) === '0') groups.pop();
    return `${groups.join(':')}::/48`;
  }
  return null;
}

function expandIpv6(address: string): string[] {
  const [head, tail = ''] = address.split('::') as [string, string?];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(missing).fill('0'), ...right];
}

// Order matters: Edge and Opera also say Chrome, Chrome also says Safari, WeChat says both.
const FAMILIES: Array<[RegExp, string]> = [
  [/MicroMessenger\//, 'WeChat'],
  [/\bQQBrowser\//, 'QQ Browser'],
  [/\bUCBrowser\//, 'UC Browser'],
  [/\bEdgA?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bCriOS\/|\bChrom(e|ium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bHeadlessChrome\//, 'Chrome'],
];

/** The browser family from a User-Agent header, `Other` when unknown, null when absent. */
export function browserFamily(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  for (const [pattern, family] of FAMILIES) if (pattern.test(userAgent)) return family;
  return 'Other';
}
