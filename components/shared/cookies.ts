/**
 * Assent's own first-party cookies: `assent_accept` (what the user accepted or was told, per
 * document) and `assent_consent` (the cookie choice). Both are listed as necessary in
 * content/cookies.json. SameSite=Lax; Secure on https. Values are percent-encoded JSON, which
 * reads the cookies js-cookie wrote for earlier versions too; written here in a few lines
 * rather than with js-cookie, whose generality cost 400 bytes of the bundle budget.
 */
import { recordId } from '../../src/contract/record-id.ts';

export const ACCEPT_COOKIE = 'assent_accept';
export const CONSENT_COOKIE = 'assent_consent';

export function readCookie<T>(name: string): T | undefined {
  try {
    const pair = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
    return JSON.parse(decodeURIComponent(pair!.slice(name.length + 1))) as T;
  } catch {
    return undefined;
  }
}

function setCookie(name: string, value: string, attributes: string, domain?: string): void {
  document.cookie = `${name}=${value}; path=/${domain ? `; domain=${domain}` : ''}${attributes}`;
}

export function writeCookie(name: string, value: unknown, days: number, domain?: string): void {
  setCookie(
    name,
    encodeURIComponent(JSON.stringify(value)),
    `; max-age=${days * 86400}; samesite=lax${location.protocol === 'https:' ? '; secure' : ''}`,
    domain,
  );
}

/**
 * Deletes cookies by name or by `prefix*`, whichever path `/` and domain they were set on:
 * analytics scripts usually set theirs on the parent domain (`.shop.example`).
 */
export function deleteCookies(patterns: string[]): void {
  const names = document.cookie.split('; ').map((c) => c.split('=')[0]!);
  const labels = location.hostname.split('.');
  const domains = [undefined, ...labels.map((_, i) => labels.slice(i).join('.'))];
  for (const pattern of patterns) {
    const prefix = pattern.endsWith('*') && pattern.slice(0, -1);
    for (const name of names) {
      if (prefix === false ? name !== pattern : !name.startsWith(prefix)) continue;
      for (const domain of domains) setCookie(name, '', '; max-age=0', domain);
    }
  }
}

/** When a version was accepted, or seen (`n`: told of it, or first seen). Times are ms. */
export interface Mark {
  v: string;
  t: number;
  h?: string;
  id?: string;
}

/** Per document: `a` the last acceptance, `n` the last version the user was told of, `u` an announced version dismissed. */
export interface DocumentMarks {
  a?: Mark;
  n?: Mark;
  u?: string;
}

export const readMarks = (slug: string): DocumentMarks =>
  readCookie<Record<string, DocumentMarks>>(ACCEPT_COOKIE)?.[slug] ?? {};

export function writeMarks(slug: string, marks: DocumentMarks, domain?: string): void {
  const all = readCookie<Record<string, DocumentMarks>>(ACCEPT_COOKIE) ?? {};
  all[slug] = { ...all[slug], ...marks };
  writeCookie(ACCEPT_COOKIE, all, 365, domain);
}

/**
 * This browser's anonymous subject, for records without the partner's user id: the consent id
 * of the cookie choice if there is one, else one kept in `assent_accept` under `@`. One id, so
 * that an anonymous visitor's records can be found together.
 */
export function anonymousId(domain?: string): string {
  const all = readCookie<Record<string, unknown>>(ACCEPT_COOKIE) ?? {};
  const id =
    readCookie<{ consentId?: string }>(CONSENT_COOKIE)?.consentId ?? (all['@'] as string | undefined);
  if (id) return id;
  all['@'] = recordId();
  writeCookie(ACCEPT_COOKIE, all, 365, domain);
  return all['@'] as string;
}
