import Fastify from 'fastify';
import { Type } from 'typebox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoredRecord as StoredRecordSchema, type StoredRecord } from '../../../src/contract/record.ts';
import { canonicalJson } from '../../../src/server/canonical-json.ts';
import { exportHeader, exportLine } from '../../../src/server/export-format.ts';
import { sha256 } from '../../../src/server/record-hash.ts';
import { subjectHashes } from '../../../src/server/subject-keys.ts';
import { OPERATOR_TOKEN, testEndpoint, type TestEndpoint } from '../../helpers/endpoint.ts';
import { acceptance, consent, PAGE_ORIGIN } from '../../helpers/records.ts';

let endpoint: TestEndpoint;
beforeEach(async () => {
  endpoint = await testEndpoint();
  const records = [
    acceptance({ subject: { kind: 'user', id: 'alice' } }),
    consent({ analytics: 'granted' }),
    acceptance({
      subject: { kind: 'user', id: 'alice' },
      type: 'declined',
      shown: { ...acceptance().shown, buttonText: '=HYPERLINK("x")' },
    }),
  ];
  for (const record of records) {
    await endpoint.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: { origin: PAGE_ORIGIN },
      payload: record,
    });
  }
});
afterEach(() => endpoint.close());

const operator = (method: 'GET' | 'POST', url: string, payload?: object, token = OPERATOR_TOKEN) =>
  endpoint.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });

/** What the route answered before it streamed: the whole answer, serialised by its response schema. */
async function asServedWhole(answer: { records: StoredRecord[] }): Promise<string> {
  const before = Fastify();
  before.get(
    '/',
    { schema: { response: { 200: Type.Object({ records: Type.Array(StoredRecordSchema) }) } } },
    async () => answer,
  );
  try {
    return (await before.inject({ method: 'GET', url: '/' })).body;
  } finally {
    await before.close();
  }
}

describe('operator routes', () => {
  it('refuse a missing or wrong token with 401', async () => {
    const missing = await endpoint.app.inject({ method: 'GET', url: '/v1/verify' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="assent"');
    expect(missing.json()).toMatchObject({ code: 'unauthorized' });
    expect((await operator('GET', '/v1/verify', undefined, 'operator-token-for-testz')).statusCode).toBe(401);
  });

  it('are switched off when no token is configured', async () => {
    await endpoint.close();
    endpoint = await testEndpoint({ operatorToken: undefined });
    const response = await operator('GET', '/v1/export');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'operator-routes-disabled' });
  });

  it('list every record of a subject, found by the subject id in clear', async () => {
    const response = await operator('POST', '/v1/subject-records', { subject: 'alice' });
    expect(response.statusCode).toBe(200);
    expect(response.json().records.map((r: { type: string; seq: number }) => [r.seq, r.type])).toEqual([
      [1, 'accepted'],
      [3, 'declined'],
    ]);
  });

  it('give a subject the same bytes, JSON and CSV, as when the answer was built whole in memory', async () => {
    const hashes = subjectHashes(endpoint.app.subjectKeys, 'alice');
    const held = [];
    for await (const record of endpoint.store.records()) if (hashes.includes(record.subject.hash)) held.push(record);
    expect(held).toHaveLength(2);
    const json = await operator('POST', '/v1/subject-records', { subject: 'alice' });
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.body).toBe(await asServedWhole({ records: held }));
    const csv = await operator('POST', '/v1/subject-records.csv', { subject: 'alice' });
    expect(csv.body).toBe(exportHeader('csv') + held.map((r) => exportLine('csv', r)).join(''));
    const nobody = await operator('POST', '/v1/subject-records', { subject: 'nobody' });
    expect(nobody.body).toBe('{"records":[]}');
  });

  it('export NDJSON from which each hash can be recomputed and the chain followed', async () => {
    const response = await operator('GET', '/v1/export?format=ndjson');
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = response.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    let previous = `sha256:${'0'.repeat(64)}`;
    for (const { hash, ...rest } of lines) {
      expect(rest.prevHash).toBe(previous);
      expect(sha256(canonicalJson(rest))).toBe(hash);
      previous = hash;
    }
  });

  it('export CSV with a header, starting where asked, with formulas defused', async () => {
    const response = await operator('GET', '/v1/export?format=csv&from=2');
    const [header, ...rows] = response.body.trimEnd().split('\r\n');
    expect(header).toMatch(/^seq,id,type,server_time,/);
    expect(rows.map((r) => r.split(',')[0])).toEqual(['2', '3']);
    expect(rows[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('verify the chain', async () => {
    const response = await operator('GET', '/v1/verify');
    expect(response.json()).toMatchObject({ ok: true, records: 3, lastSeq: 3 });
  });
});

describe('limits on operator routes', () => {
  const wrong = (remoteAddress = '203.0.113.7') =>
    endpoint.app.inject({
      method: 'GET',
      url: '/v1/export',
      remoteAddress,
      headers: { authorization: 'Bearer operator-token-for-testz' },
    });

  it('count wrong tokens against the rate limit, and answer 429 past it', async () => {
    await endpoint.close();
    endpoint = await testEndpoint({ rateLimitPerMinute: 3 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await wrong());
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 429]);
    expect(answers[3]!.headers['retry-after']).toBeDefined();
    expect(answers[3]!.json()).toMatchObject({ code: 'rate-limited' });
  });

  it('refuse an address after 10 wrong tokens, even with the right one, while others still get in', async () => {
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push((await wrong()).statusCode);
    expect(answers).toEqual([...Array(10).fill(401), 429]);
    const right = await endpoint.app.inject({
      method: 'GET',
      url: '/v1/verify',
      remoteAddress: '203.0.113.7',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(800);
    expect((await operator('GET', '/v1/verify')).statusCode).toBe(200);
  });

  it('never limit /healthz', async () => {
    await endpoint.close();
    endpoint = await testEndpoint({ rateLimitPerMinute: 2 });
    for (let i = 0; i < 5; i++) {
      expect((await endpoint.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    }
  });
});

describe('operator roles', () => {
  const AUDITOR_TOKEN = 'auditor-token-for-tests';
  /** Every operator route, with a request that succeeds for a role allowed to use it. */
  const ROUTES: Array<{ method: 'GET' | 'POST'; url: string; payload?: object; admits: string[] }> = [
    { method: 'GET', url: '/v1/session', admits: ['auditor', 'admin'] },
    {
      method: 'POST',
      url: '/v1/subject-records',
      payload: { subject: 'alice' },
      admits: ['auditor', 'admin'],
    },
    { method: 'GET', url: '/v1/export', admits: ['auditor', 'admin'] },
    { method: 'GET', url: '/v1/verify', admits: ['auditor', 'admin'] },
    { method: 'GET', url: '/v1/stats', admits: ['auditor', 'admin'] },
    { method: 'GET', url: '/v1/operator-records', admits: ['auditor', 'admin'] },
    { method: 'GET', url: '/v1/webhooks', admits: ['admin'] },
  ];

  beforeEach(async () => {
    await endpoint.close();
    endpoint = await testEndpoint({ auditorToken: AUDITOR_TOKEN });
  });

  for (const route of ROUTES) {
    for (const [role, token] of [
      ['admin', OPERATOR_TOKEN],
      ['auditor', AUDITOR_TOKEN],
    ] as const) {
      const allowed = route.admits.includes(role);
      it(`${allowed ? 'admit' : 'refuse'} the ${role} token on ${route.method} ${route.url}`, async () => {
        const response = await operator(route.method, route.url, route.payload, token);
        expect(response.statusCode).toBe(allowed ? 200 : 403);
      });
    }
  }

  it('tell the console which role a token has', async () => {
    expect((await operator('GET', '/v1/session', undefined, AUDITOR_TOKEN)).json()).toEqual({
      role: 'auditor',
    });
    expect((await operator('GET', '/v1/session')).json()).toEqual({ role: 'admin' });
  });

  it('refuse the auditor token on an admin route with 403 role-not-allowed, and admit the admin token', async () => {
    await endpoint.close();
    endpoint = await testEndpoint(
      { auditorToken: AUDITOR_TOKEN },
      {
        extraRoutes: async (app) => {
          app.post('/v1/test-admin-only', app.operatorRoute('admin'), async () => ({ done: true }));
        },
      },
    );
    const auditor = await operator('POST', '/v1/test-admin-only', {}, AUDITOR_TOKEN);
    expect(auditor.statusCode).toBe(403);
    expect(auditor.json()).toMatchObject({ code: 'role-not-allowed' });
    expect(auditor.json().detail).toContain('needs the admin token');
    expect((await operator('POST', '/v1/test-admin-only', {})).statusCode).toBe(200);
  });

  it('open the auditor routes with only an auditor token configured', async () => {
    await endpoint.close();
    endpoint = await testEndpoint({ operatorToken: undefined, auditorToken: AUDITOR_TOKEN });
    expect((await operator('GET', '/v1/verify', undefined, AUDITOR_TOKEN)).statusCode).toBe(200);
    expect((await operator('GET', '/v1/verify')).statusCode).toBe(401);
  });

  it('count wrong tokens toward the failure limit whichever role they try, then refuse both tokens', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) {
      const response = await endpoint.app.inject({
        method: 'GET',
        url: i % 2 ? '/v1/stats' : '/v1/verify',
        remoteAddress: '203.0.113.8',
        headers: { authorization: `Bearer ${i % 2 ? AUDITOR_TOKEN : OPERATOR_TOKEN}x` },
      });
      answers.push(response.statusCode);
    }
    expect(answers).toEqual(Array(10).fill(401));
    for (const token of [AUDITOR_TOKEN, OPERATOR_TOKEN]) {
      const right = await endpoint.app.inject({
        method: 'GET',
        url: '/v1/session',
        remoteAddress: '203.0.113.8',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(right.statusCode).toBe(429);
    }
  });
});
