import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordInput } from '../../../src/contract/record.ts';
import { openSqliteReader } from '../../../src/server/store/sqlite-store.ts';
import { testEndpoint, type TestEndpoint } from '../../helpers/endpoint.ts';
import { acceptance, consent, manifest, PAGE_ORIGIN } from '../../helpers/records.ts';

let endpoint: TestEndpoint;
beforeEach(async () => {
  endpoint = await testEndpoint();
});
afterEach(() => endpoint.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  endpoint.app.inject({
    method: 'POST',
    url: '/v1/records',
    headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN, ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /v1/records', () => {
  it('answers 201 with the receipt once the record is stored', async () => {
    const record = acceptance();
    const response = await post(record);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: record.id,
      seq: 1,
      serverTime: expect.any(String),
      hash: expect.stringMatching(/^sha256:/),
      // A batch receipt: JWS~claims~leaf index~path (tests/unit/proof/receipt-batches.test.ts checks it).
      receipt: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+~[\w-]+~\d+~[\w-]*$/),
    });
    expect(await endpoint.rows()).toBe(1);
  });

  it('answers an identical retry with 200 and the original receipt', async () => {
    const record = acceptance();
    const first = await post(record);
    const retry = await post(record);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(await endpoint.rows()).toBe(1);
  });

  it('takes the text/plain body that navigator.sendBeacon sends', async () => {
    const response = await post(JSON.stringify(acceptance()), { 'content-type': 'text/plain;charset=UTF-8' });
    expect(response.statusCode).toBe(201);
  });

  it('stores a batch in one request and answers with every receipt', async () => {
    const batch = [acceptance(), consent({ analytics: 'granted' }), acceptance({ type: 'declined' })];
    const response = await post(batch);
    expect(response.statusCode).toBe(201);
    expect(response.json().records.map((r: { id: string; seq: number }) => [r.id, r.seq])).toEqual(
      batch.map((r, i) => [r.id, i + 1]),
    );
  });

  it('keeps the evidence: pseudonymised subject, truncated address, browser family, what was shown', async () => {
    const record = acceptance({ subject: { kind: 'user', id: 'alice@example.com' } });
    await endpoint.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: {
        'content-type': 'application/json',
        origin: PAGE_ORIGIN,
        'user-agent': 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/18.0 Safari/605.1.15',
      },
      remoteAddress: '198.51.100.77',
      payload: JSON.stringify(record),
    });
    const [stored] = await Array.fromAsync(endpoint.store.records());
    expect(stored).toMatchObject({
      type: 'accepted',
      clientTime: record.clientTime,
      document: record.document,
      shown: record.shown,
      ip: '198.51.100.0/24',
      browser: 'Safari',
      subject: { kind: 'user', hash: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/), keyVersion: 1 },
    });
    await endpoint.store.close();
    const file = readFileSync(endpoint.store.file);
    expect(file.includes('alice@example.com')).toBe(false);
  });

  it('keeps neither address nor browser when retention is off', async () => {
    await endpoint.close();
    endpoint = await testEndpoint({ keepIp: false, keepBrowser: false });
    await post(acceptance());
    const [stored] = await Array.fromAsync(endpoint.store.records());
    expect(stored).toMatchObject({ ip: null, browser: null });
  });

  it('allows CORS only for the configured partner origins', async () => {
    const preflight = (origin: string) =>
      endpoint.app.inject({
        method: 'OPTIONS',
        url: '/v1/records',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    expect((await preflight(PAGE_ORIGIN)).headers['access-control-allow-origin']).toBe(PAGE_ORIGIN);
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('Global Privacy Control', () => {
  const storedGpc = async () => (await Array.fromAsync(endpoint.store.records())).map((r) => r.shown.gpc);
  const withGpc = (record: RecordInput, gpc: boolean | undefined): RecordInput => {
    const { gpc: _, ...shown } = record.shown;
    return { ...record, shown: gpc === undefined ? shown : { ...shown, gpc } };
  };

  // Every header value (none, the signal, and values that are not the signal) against every
  // body value: the header can only add the signal, never take it away.
  const headers = [undefined, '1', '0', 'true'] as const;
  const bodies = [undefined, true, false] as const;
  const cases = headers.flatMap((header) => bodies.map((body) => [header, body] as const));
  it.each(cases)(
    'with Sec-GPC %s and shown.gpc %s in the body, stores what the two say together',
    async (header, body) => {
      const response = await post(
        withGpc(consent(), body),
        header === undefined ? {} : { 'sec-gpc': header },
      );
      expect(response.statusCode).toBe(201);
      expect(await storedGpc()).toEqual([header === '1' ? true : body]);
    },
  );

  it('marks every record of a batch sent with Sec-GPC: 1', async () => {
    const batch = [withGpc(consent(), undefined), withGpc(acceptance(), false)];
    expect((await post(batch, { 'sec-gpc': '1' })).statusCode).toBe(201);
    expect(await storedGpc()).toEqual([true, true]);
  });

  it('recognises a retry with the same header as the same record', async () => {
    const record = withGpc(consent(), undefined);
    const first = await post(record, { 'sec-gpc': '1' });
    const retry = await post(record, { 'sec-gpc': '1' });
    expect([first.statusCode, retry.statusCode]).toEqual([201, 200]);
    expect(retry.json()).toEqual(first.json());
  });
});

describe('bad input', () => {
  const record = acceptance();
  const cases: Array<{
    name: string;
    send: () => Promise<{ statusCode: number; headers: Record<string, unknown>; json(): any }>;
    status: number;
    code: string;
    pointer?: string;
  }> = [
    { name: 'malformed JSON', send: () => post('{"id": "x",'), status: 400, code: 'malformed-json' },
    {
      name: 'malformed JSON as text/plain',
      send: () => post('not json', { 'content-type': 'text/plain' }),
      status: 400,
      code: 'malformed-json',
    },
    {
      name: 'a field of the wrong type',
      send: () => post({ ...record, shown: { ...record.shown, checkboxPreticked: 'no' } }),
      status: 400,
      code: 'invalid-record',
      pointer: '/shown/checkboxPreticked',
    },
    {
      name: 'an id that is not a UUID',
      send: () => post({ ...record, id: '42' }),
      status: 400,
      code: 'invalid-record',
      pointer: '/id',
    },
    {
      name: 'an extra field',
      send: () => post({ ...record, admin: true }),
      status: 400,
      code: 'invalid-record',
    },
    {
      name: 'a page path with a query string',
      send: () => post({ ...record, shown: { ...record.shown, pagePath: '/signup?email=a@b.c' } }),
      status: 400,
      code: 'invalid-record',
      pointer: '/shown/pagePath',
    },
    {
      name: 'a batch of more than 100',
      send: () => post(Array.from({ length: 101 }, () => acceptance())),
      status: 400,
      code: 'invalid-record',
    },
    {
      name: 'an oversized body',
      send: () => post({ ...record, shown: { ...record.shown, buttonText: 'x'.repeat(300_000) } }),
      status: 413,
      code: 'body-too-large',
    },
    {
      name: 'an unsupported content type',
      send: () => post('id=1', { 'content-type': 'application/x-www-form-urlencoded' }),
      status: 415,
      code: 'unsupported-media-type',
    },
    {
      name: 'an unknown document',
      send: () => post({ ...record, document: { ...record.document!, slug: 'no-such-terms' } }),
      status: 422,
      code: 'unknown-document',
      pointer: '/document/slug',
    },
    {
      name: 'an unknown version',
      send: () => post({ ...record, document: { ...record.document!, version: '2030-01-01' } }),
      status: 422,
      code: 'unknown-version',
      pointer: '/document/version',
    },
    {
      name: 'a content hash that does not match',
      send: () =>
        post({ ...record, document: { ...record.document!, contentHash: `sha256:${'1'.repeat(64)}` } }),
      status: 422,
      code: 'content-hash-mismatch',
      pointer: '/document/contentHash',
    },
    {
      name: 'an acceptance without its document',
      send: () => post({ ...record, document: undefined }),
      status: 422,
      code: 'record-not-valid-for-manifest',
      pointer: '/document',
    },
    {
      name: 'a pre-ticked checkbox',
      send: () => post({ ...record, shown: { ...record.shown, checkboxPreticked: true } }),
      status: 422,
      code: 'record-not-valid-for-manifest',
      pointer: '/shown/checkboxPreticked',
    },
    {
      name: 'a consent that leaves a category out',
      send: () => {
        const c = consent();
        delete c.choices!.marketing;
        return post(c);
      },
      status: 422,
      code: 'record-not-valid-for-manifest',
      pointer: '/choices',
    },
    {
      name: 'a consent that denies a necessary category',
      send: () => post(consent({ necessary: 'denied' })),
      status: 422,
      code: 'record-not-valid-for-manifest',
      pointer: '/choices/necessary',
    },
    {
      name: 'a consent for an old cookie revision',
      send: () => post(consent({}, { cookies: { revision: '2020-01-01' } })),
      status: 422,
      code: 'record-not-valid-for-manifest',
      pointer: '/cookies/revision',
    },
    {
      name: 'a page origin that is not the request’s',
      send: () => post({ ...record, shown: { ...record.shown, pageOrigin: 'https://other.example' } }),
      status: 422,
      code: 'record-not-valid-for-manifest',
      pointer: '/shown/pageOrigin',
    },
    {
      name: 'a request from an origin not allowed',
      send: () => post(record, { origin: 'https://evil.example' }),
      status: 403,
      code: 'origin-not-allowed',
    },
    {
      name: 'a batch where one record is invalid',
      send: () =>
        post([acceptance(), { ...acceptance(), document: { ...record.document!, version: '1999-01-01' } }]),
      status: 422,
      code: 'unknown-version',
      pointer: '/1/document/version',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.status} ${c.code}, writing nothing`, async () => {
      const response = await c.send();
      expect(response.statusCode).toBe(c.status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = response.json();
      expect(body).toMatchObject({ status: c.status, code: c.code, type: `urn:assent:problem:${c.code}` });
      expect(body.detail).toEqual(expect.any(String));
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
      if (c.pointer) expect(body.errors.map((e: { pointer: string }) => e.pointer)).toContain(c.pointer);
      expect(await endpoint.rows()).toBe(0);
    });
  }

  it('names the extra field it refuses', async () => {
    const body = (await post({ ...record, admin: true })).json();
    expect(body.detail).toContain('admin');
  });

  it('refuses a reused id with a different record with 409, storing nothing of that request', async () => {
    const original = acceptance();
    await post(original);
    const fresh = acceptance();
    const response = await post([fresh, { ...original, type: 'declined' } satisfies RecordInput]);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'id-conflict', errors: [{ pointer: '/1/id' }] });
    expect(await endpoint.rows()).toBe(1);
  });

  it('answers 503 store-unavailable with Retry-After once the SQLite writer has stopped, storing nothing', async () => {
    await endpoint.store.close();
    const response = await post(acceptance());
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect(response.json()).toMatchObject({ status: 503, code: 'store-unavailable' });
    const reader = openSqliteReader(endpoint.config.dataDir);
    expect(await reader.count()).toBe(0);
    await reader.close();
  });

  it('limits requests per address with 429 and Retry-After', async () => {
    await endpoint.close();
    endpoint = await testEndpoint({ rateLimitPerMinute: 2 });
    await post(acceptance());
    await post(acceptance());
    const limited = await post(acceptance());
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'rate-limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await endpoint.rows()).toBe(2);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await endpoint.app.inject({ method: 'GET', url: '/v1/nothing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'not-found' });
  });
});

describe('GET /healthz', () => {
  it('reports the store and the manifest in use', async () => {
    const response = await endpoint.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok', store: 'sqlite', manifestGenerated: manifest.generated });
  });
});
