/**
 * Assent's own first-party cookies: `assent_accept` (per document, what the user accepted or was
 * told of; and this browser's anonymous subject) and `assent_consent` (the cookie choice). Both
 * are listed as necessary in content/cookies.json. SameSite=Lax; Secure on https. Values are
 * JSON with readable keys and a `format` number; the first format (one-letter keys, before
 * `format` existed) is read once and rewritten in today's (`migrateCookies`).
 */
import { recordId } from '../../src/contract/record-id.ts';

export const ACCEPT_COOKIE = 'assent_accept';
export const CONSENT_COOKIE = 'assent_consent';
/** The format Assent writes its cookies and its outbox in. */
export const FORMAT = 2;

/** A version accepted, or told of (`notified`: shown a notice, or in effect on a first visit). */
export interface Mark {
  version: string;
  /** When, in ms since 1970. */
  time: number;
  /** The content hash of the version accepted. */
  hash?: string;
  /** The id of the record that says so. */
  record?: string;
}

export interface DocumentMarks {
  accepted?: Mark;
  notified?: Mark;
  /** An announced (not yet effective) version the user has dismissed. */
  dismissed?: string;
}

/** `assent_accept`. */
export interface AcceptCookie {
  format: typeof FORMAT;
  /** This browser's anonymous subject, when it has no cookie choice to take it from. */
  subject?: string;
  documents: Record<string, DocumentMarks>;
}

/** `assent_consent`: the choice as `assent-consent-changed` told it, and when. */
export interface ConsentCookie {
  format: typeof FORMAT;
  revision: string;
  choices: Record<string, 'granted' | 'denied'>;
  consentId: string;
  record: string;
  time: number;
}

function readRaw(name: string): any {
  try {
    const pair = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
    return JSON.parse(decodeURIComponent(pair!.slice(name.length + 1)));
  } catch {
    return undefined;
  }
}

export function writeCookie(name: string, value: unknown, days: number, domain?: string): void {
  // `{`, `}` and `:` may stand in a cookie value unescaped: more room under the 4 KB limit.
  const text = encodeURIComponent(JSON.stringify(value)).replace(/%(7B|7D|3A)/g, decodeURIComponent);
  document.cookie = `${name}=${text}; path=/${domain ? `; domain=${domain}` : ''}; max-age=${Math.round(days * 86400)}; samesite=lax${location.protocol === 'https:' ? '; secure' : ''}`;
}

/** The first format's mark: `{v, t, h, id}`. */
const oldMark = (m: any): Mark | undefined =>
  m?.v ? { version: m.v, time: m.t, ...(m.h && { hash: m.h }), ...(m.id && { record: m.id }) } : undefined;

/** `assent_accept` in today's format, from either format (an unreadable cookie reads as empty). */
export function readAccept(): AcceptCookie {
  const raw = readRaw(ACCEPT_COOKIE);
  if (raw?.format === FORMAT) return raw;
  const accept: AcceptCookie = { format: FORMAT, documents: {} };
  for (const [key, value] of Object.entries<any>(raw ?? {}))
    if (key === '@') accept.subject = value;
    else
      // Undefined keys are left out when it is written.
      accept.documents[key] = { accepted: oldMark(value.a), notified: oldMark(value.n), dismissed: value.u };
  return accept;
}

/** The choice in `assent_consent`, from either format. */
export function readConsent(): ConsentCookie | undefined {
  const raw = readRaw(CONSENT_COOKIE);
  if (!raw?.revision) return undefined;
  if (raw.format === FORMAT) return raw;
  const { t, ...rest } = raw;
  return { ...rest, format: FORMAT, time: t };
}

/**
 * Rewrites cookies left in the first format in today's, once, where they were (the domain
 * given). The consent cookie keeps the lifetime it had left as far as the page can tell: none
 * is readable, so it gets `days` again from its own time.
 */
export function migrateCookies(domain: string | undefined, days: number): void {
  const accept = readRaw(ACCEPT_COOKIE);
  if (accept && accept.format !== FORMAT) writeCookie(ACCEPT_COOKIE, readAccept(), 365, domain);
  const consent = readConsent();
  if (consent && readRaw(CONSENT_COOKIE).format !== FORMAT)
    writeCookie(CONSENT_COOKIE, consent, (consent.time - Date.now()) / 86400_000 + days, domain);
}

/**
 * This browser's anonymous subject, for records without the partner's user id: the consent id
 * of the cookie choice if there is one, else one kept in `assent_accept`. One id, so that an
 * anonymous visitor's records can be found together.
 */
export function anonymousId(domain?: string): string {
  const found = readConsent()?.consentId ?? readAccept().subject;
  if (found) return found;
  const accept = readAccept();
  accept.subject = recordId();
  writeCookie(ACCEPT_COOKIE, accept, 365, domain);
  return accept.subject;
}
