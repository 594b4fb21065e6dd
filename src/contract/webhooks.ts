/**
 * Webhooks as the endpoint's admin routes answer them and the console shows them
 * (src/server/webhooks/, src/console/).
 */
import type { RecordType } from './record.ts';

export interface WebhookFilter {
  /** Only these record types; every type when absent. */
  types?: RecordType[];
  /** Only records about these documents (slugs); cookie records have none. Every record when absent. */
  documents?: string[];
}

export interface Webhook {
  id: string;
  partner: string;
  url: string;
  filter: WebhookFilter;
  createdAt: string;
  /** Every matching record up to this number was answered 2xx by the receiver. */
  deliveredThrough: number;
  /** Failed attempts in a row (0 once one succeeds). */
  failures: number;
  lastError: string | null;
  /** No attempt before this time (ISO 8601); null: now. */
  nextAttemptAt: string | null;
}

export interface DeliveryAttempt {
  webhookId: string;
  seq: number;
  at: string;
  /** HTTP status, or null when no answer came (refused, timed out). */
  status: number | null;
  ok: boolean;
  error: string | null;
  /** Sent again on an operator's request. */
  replay: boolean;
}

/** Why a URL cannot receive webhooks: not an absolute URL, or not http(s). */
export type WebhookUrlProblem = 'not-a-url' | 'not-http';

/**
 * Whether a URL can receive webhooks: absolute, `http:` or `https:` (the endpoint POSTs with
 * fetch, which speaks nothing else). The endpoint refuses others with a clear message; the
 * console checks first, to say so in the reader's language.
 *
 *   webhookUrlProblem('https://shop.example/assent-hook') // undefined
 *   webhookUrlProblem('ftp://shop.example/')              // 'not-http'
 */
export function webhookUrlProblem(text: string): WebhookUrlProblem | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not-a-url';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not-http';
  return url.hostname ? undefined : 'not-a-url';
}

/**
 * Why one delivery failed. The endpoint stores it as English text (`Webhook.lastError`,
 * `DeliveryAttempt.error`, and its log); the console reads the text back to word it in the
 * operator's language, so the text's shape is part of this contract.
 */
export type DeliveryFailure =
  | { kind: 'status'; status: number }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'unreachable'; detail: string };

/**
 *   deliveryErrorText({ kind: 'status', status: 500 })                    // 'the receiver answered 500'
 *   deliveryErrorText({ kind: 'unreachable', detail: 'ECONNREFUSED' })   // 'no answer: ECONNREFUSED'
 */
export function deliveryErrorText(failure: DeliveryFailure): string {
  switch (failure.kind) {
    case 'status':
      return `the receiver answered ${failure.status}`;
    case 'timeout':
      return `no answer within ${failure.seconds} s`;
    case 'unreachable':
      return `no answer: ${failure.detail}`;
  }
}

/** The failure a stored text names; undefined for a text of another shape. */
export function parseDeliveryError(text: string): DeliveryFailure | undefined {
  let match = /^the receiver answered (\d{3})$/.exec(text);
  if (match) return { kind: 'status', status: Number(match[1]) };
  match = /^no answer within (\d+(?:\.\d+)?) s$/.exec(text);
  if (match) return { kind: 'timeout', seconds: Number(match[1]) };
  match = /^no answer: ([^]*)$/.exec(text);
  if (match) return { kind: 'unreachable', detail: match[1]! };
  return undefined;
}
