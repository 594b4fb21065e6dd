/**
 * The console's calls to the endpoint it is served from, with the operator token as a bearer
 * header. The token lives in sessionStorage (this tab only, gone when it closes), never in a
 * URL, where it would reach history, logs and Referer headers.
 */
import type { CheckpointAnswer, InclusionAnswer } from '../contract/proof/api.ts';
import type { RecordType, StoredRecord } from '../contract/record.ts';
import type { ChainReport } from '../contract/chain-report.ts';
import type { CheckpointsPage } from '../contract/checkpoints-page.ts';
import type { RecordsPage } from '../contract/records-page.ts';
import type { Stats, StatsQuery } from '../contract/stats.ts';
import type { DeliveryAttempt, Webhook } from '../contract/webhooks.ts';

export type { DeliveryAttempt, Webhook } from '../contract/webhooks.ts';

const TOKEN_KEY = 'assent-console-token';

export type Role = 'admin' | 'auditor';

export type { ChainReport } from '../contract/chain-report.ts';

/** A refusal or failure, with the endpoint's problem details when it gave them. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, detail: string) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const keepToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

export type Query = Record<string, string | undefined>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export class Api {
  readonly #token: string;
  readonly #base: string;

  constructor(token: string, base = '') {
    this.#token = token;
    this.#base = base;
  }

  async #fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${this.#base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${this.#token}`, ...(init.headers ?? {}) },
      // The token goes in a header only; no cookies, no credentials of the browser's own.
      credentials: 'omit',
      cache: 'no-store',
    });
    if (response.ok) return response;
    let code = 'http-error';
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = (await response.json()) as { code?: string; detail?: string };
      code = problem.code ?? code;
      detail = problem.detail ?? detail;
    } catch {
      // Not problem+json (a proxy's page): the status line says enough.
    }
    throw new ApiError(response.status, code, detail);
  }

  async #json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.#fetch(path, init)).json()) as T;
  }

  session(): Promise<{ role: Role }> {
    return this.#json('/v1/session');
  }

  stats(query: StatsQuery): Promise<Stats> {
    return this.#json(withQuery('/v1/stats', query));
  }

  records(query: Query): Promise<RecordsPage> {
    return this.#json(withQuery('/v1/operator-records', query));
  }

  subject(subject: string): Promise<{ records: StoredRecord[] }> {
    return this.#json('/v1/subject-records', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject }),
    });
  }

  /** A subject's records as the endpoint streams them, JSON (`{ "records": […] }`) or CSV, to save. */
  async subjectFile(subject: string, format: 'json' | 'csv'): Promise<Blob> {
    const response = await this.#fetch(format === 'csv' ? '/v1/subject-records.csv' : '/v1/subject-records', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject }),
    });
    return response.blob();
  }

  async export(format: 'ndjson' | 'csv'): Promise<Blob> {
    return (await this.#fetch(withQuery('/v1/export', { format }))).blob();
  }

  webhooks(): Promise<{ webhooks: Webhook[] }> {
    return this.#json('/v1/webhooks');
  }

  /** Registers a webhook; the answer holds its signing secret, which is never shown again. */
  registerWebhook(body: {
    partner: string;
    url: string;
    types?: RecordType[];
    documents?: string[];
  }): Promise<{ webhook: Webhook; secret: string }> {
    return this.#json('/v1/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  attempts(id: string): Promise<{ attempts: DeliveryAttempt[] }> {
    return this.#json(`/v1/webhooks/${encodeURIComponent(id)}/attempts`);
  }

  async replay(id: string, seq: number): Promise<void> {
    await this.#fetch(`/v1/webhooks/${encodeURIComponent(id)}/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seq }),
    });
  }

  /** The newest signed checkpoint (`404 no-checkpoint` before the first). */
  checkpoint(): Promise<CheckpointAnswer> {
    return this.#json('/v1/checkpoint');
  }

  /** Signed checkpoints, newest first, below tree size `before` (the previous page's `next`). */
  checkpoints(before?: number, limit = 10): Promise<CheckpointsPage> {
    return this.#json(
      withQuery('/v1/checkpoints', { before: before ? String(before) : undefined, limit: String(limit) }),
    );
  }

  /** The proof that record `seq` is in the tree of `size` records. */
  inclusion(seq: number, size: number): Promise<InclusionAnswer> {
    return this.#json(withQuery('/v1/proof/inclusion', { seq: String(seq), size: String(size) }));
  }

  /** The endpoint's public signing keys (a JWKS), as served to anyone who checks a proof. */
  signingKeys(): Promise<unknown> {
    return this.#json('/.well-known/assent-keys.json');
  }

  /** Walks the chain on the endpoint, telling `progress` as it goes; resolves with the report. */
  async verify(progress: (checked: number, total: number) => void): Promise<ChainReport> {
    const response = await this.#fetch('/v1/verify/progress');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buffered += value;
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffered.slice(0, end)) as
          { checked: number; total: number } | { report: ChainReport };
        buffered = buffered.slice(end + 1);
        if ('report' in line) return line.report;
        progress(line.checked, line.total);
      }
      if (done) throw new ApiError(502, 'verify-cut-short', 'the verification ended without a report');
    }
  }
}

/** Saves a blob as a file the browser downloads. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
