/**
 * The one record client. Every record is first written to a persistent outbox (localStorage),
 * so that nothing acknowledged is lost to a reload, a closed tab or an endpoint that is down;
 * it leaves the outbox only when the endpoint has confirmed it (201, or 200 for a retry it
 * already had) or refused it for good (a 4xx other than 408 and 429). Failures are retried with
 * exponential backoff; on `pagehide` whatever is left goes out with `navigator.sendBeacon`
 * (text/plain, which the endpoint accepts) and stays in the outbox until a later page load
 * hears the endpoint confirm it. Records carry their own id, so a repeat is harmless.
 */
import type { RecordInput, RecordReceipt } from '../../src/contract/record.ts';

interface Entry {
  /** Endpoint base URL. */
  endpoint: string;
  record: RecordInput;
  /** Failed attempts so far. */
  attempts: number;
  /** Not before this time (ms). */
  notBefore: number;
}

/**
 * What `localStorage.assent_outbox` holds: `{format: 2, entries}`. The first format, a bare
 * array of `{e, r, n, at}`, is read as this and written back in this format.
 */
const readStored = (stored: any): Entry[] =>
  Array.isArray(stored)
    ? stored.map((o) => ({ endpoint: o.e, record: o.r, attempts: o.n, notBefore: o.at }))
    : (stored?.entries ?? []);

export interface DeliveryError {
  message: string;
  /** HTTP status, 0 when the endpoint could not be reached. */
  status: number;
  /** The endpoint's problem+json, when it sent one. */
  problem?: { code?: string; detail?: string };
  /** True while the record stays queued and will be sent again. */
  retrying: boolean;
}

export type DeliveryListener = (id: string, receipt?: RecordReceipt, error?: DeliveryError) => void;

const KEY = 'assent_outbox';
/** The outbox's own format (first: a bare array); it imports nothing, to load on its own. */
const FORMAT = 2;
const MAX_DELAY = 60_000;

export class Outbox {
  /** Receipts of the records confirmed since the page loaded, for an element that follows one late. */
  readonly confirmed = new Map<string, RecordReceipt>();
  #memory: Entry[] = [];
  #listeners = new Set<DeliveryListener>();
  #timer?: ReturnType<typeof setTimeout>;
  #busy?: Promise<void>;

  #read(): Entry[] {
    try {
      return readStored(JSON.parse(localStorage.getItem(KEY)!));
    } catch {
      return this.#memory;
    }
  }

  #write(entries: Entry[]): void {
    this.#memory = entries;
    try {
      if (entries.length) localStorage.setItem(KEY, JSON.stringify({ format: FORMAT, entries }));
      else localStorage.removeItem(KEY);
    } catch {
      // Storage is full or blocked (a sandboxed frame): the outbox lives in memory only.
    }
  }

  /** Whether a record is still waiting for the endpoint to confirm it. */
  pending(id: string | undefined): boolean {
    return this.#read().some((entry) => entry.record.id === id);
  }

  /** Hears every confirmation and failure; returns the function that stops listening. */
  listen(listener: DeliveryListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Queues a record and starts sending; `listen` hears how it went. */
  send(endpoint: string, record: RecordInput): void {
    this.#write([...this.#read(), { endpoint, record, attempts: 0, notBefore: 0 }]);
    void this.flush();
  }

  /** Sends what is due now (everything with `all`), one record per request, oldest first. */
  flush(all = false): Promise<void> {
    return (this.#busy ??= this.#run(all).finally(() => (this.#busy = undefined)));
  }

  async #run(all: boolean): Promise<void> {
    clearTimeout(this.#timer);
    for (const entry of this.#read()) if (all || entry.notBefore <= Date.now()) await this.#deliver(entry);
    const next = Math.min(...this.#read().map((entry) => entry.notBefore));
    if (next < Infinity) this.#timer = setTimeout(() => this.flush(), Math.max(0, next - Date.now()));
  }

  async #deliver(entry: Entry): Promise<void> {
    let status = 0;
    let body: any;
    try {
      const response = await fetch(`${entry.endpoint}/v1/records`, {
        method: 'POST',
        body: JSON.stringify(entry.record),
        credentials: 'omit',
      });
      status = response.status;
      body = await response.json().catch(() => undefined);
    } catch {
      // Network error, CORS refusal or the endpoint is down: status 0, retried below.
    }
    const confirmed = status === 200 || status === 201;
    const retrying = !confirmed && (!status || status === 408 || status === 429 || status >= 500);
    const others = this.#read().filter((e) => e.record.id !== entry.record.id);
    if (retrying) {
      const delay = Math.min(MAX_DELAY, 1000 * 2 ** entry.attempts) * (0.75 + Math.random() / 2);
      others.push({ ...entry, attempts: entry.attempts + 1, notBefore: Date.now() + delay });
    }
    this.#write(others);
    if (confirmed) this.confirmed.set(entry.record.id, body);
    const error: DeliveryError | undefined = confirmed
      ? undefined
      : {
          // fetch() fails the same way for a server that is down and for a page whose CSP
          // leaves the endpoint out of connect-src: name both, and the origin to allow.
          message:
            body?.detail ??
            (status
              ? `HTTP ${status}`
              : `${new URL(entry.endpoint).origin} could not be reached: it may be down, or blocked by the page's Content-Security-Policy (connect-src)`),
          status,
          problem: body,
          retrying,
        };
    for (const listener of this.#listeners) listener(entry.record.id, confirmed ? body : undefined, error);
  }

  /** Hands everything still queued to `sendBeacon`, per endpoint, in batches the endpoint accepts. */
  beacon(): void {
    const byEndpoint = new Map<string, RecordInput[]>();
    for (const { endpoint, record } of this.#read())
      byEndpoint.set(endpoint, [...(byEndpoint.get(endpoint) ?? []), record]);
    for (const [endpoint, records] of byEndpoint)
      for (let i = 0; i < records.length; i += 20)
        navigator.sendBeacon(`${endpoint}/v1/records`, JSON.stringify(records.slice(i, i + 20)));
  }
}

/** The page's outbox: records left by an earlier page go out as soon as this one loads. */
export const outbox = new Outbox();
addEventListener('pagehide', () => outbox.beacon());
void outbox.flush(true);
