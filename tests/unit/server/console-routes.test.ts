import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../../src/contract/proof/bytes.ts';
import { verifyCheckpoint } from '../../../src/contract/proof/checkpoint.ts';
import { buildConsole } from '../../../src/site/integrations/build-console.ts';
import { OPERATOR_TOKEN, testEndpoint, type TestEndpoint } from '../../helpers/endpoint.ts';
import { acceptance, PAGE_ORIGIN } from '../../helpers/records.ts';

let consoleDir: string;
let endpoint: TestEndpoint | undefined;
beforeAll(async () => {
  consoleDir = mkdtempSync(join(tmpdir(), 'assent-console-'));
  await buildConsole(consoleDir);
});
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

const auth = { authorization: `Bearer ${OPERATOR_TOKEN}` };

describe('the console at /console/', () => {
  it('serves the page and its script under a strict Content-Security-Policy', async () => {
    endpoint = await testEndpoint({ consoleDir });
    const page = await endpoint.app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<assent-console>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toContain('unsafe');
    const script = await endpoint.app.inject({ method: 'GET', url: '/console/console.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await endpoint.app.inject({ method: 'GET', url: '/console' })).headers.location).toBe(
      '/console/',
    );
  });

  it('serves nothing outside its folder', async () => {
    endpoint = await testEndpoint({ consoleDir });
    for (const url of ['/console/..%2Fpackage.json', '/console/.env', '/console/nothing.js']) {
      const response = await endpoint.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
    }
  });

  it('says how to build it when it is not built', async () => {
    endpoint = await testEndpoint({ consoleDir: join(consoleDir, 'missing') });
    const response = await endpoint.app.inject({ method: 'GET', url: '/console/' });
    expect(response.statusCode).toBe(404);
    expect(response.json().detail).toMatch(/not built.*npm run build/);
  });
});

describe('operator routes the console uses', () => {
  it('tell the progress of a verification every 5,000 records, then its report', async () => {
    endpoint = await testEndpoint();
    for (let i = 0; i < 60; i++) {
      const response = await endpoint.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { origin: PAGE_ORIGIN },
        payload: Array.from({ length: 100 }, () => acceptance()),
      });
      expect(response.statusCode).toBe(201);
    }
    const response = await endpoint.app.inject({ method: 'GET', url: '/v1/verify/progress', headers: auth });
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = response.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { checked: 5000, total: 6000 },
      { report: expect.objectContaining({ ok: true, records: 6000, lastSeq: 6000 }) },
    ]);
  });

  it('give a subject its records as CSV', async () => {
    endpoint = await testEndpoint();
    await endpoint.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: { origin: PAGE_ORIGIN },
      payload: [acceptance({ subject: { kind: 'user', id: 'dora' } }), acceptance()],
    });
    const response = await endpoint.app.inject({
      method: 'POST',
      url: '/v1/subject-records.csv',
      headers: auth,
      payload: { subject: 'dora' },
    });
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = response.body.trimEnd().split('\r\n');
    expect(header).toMatch(/^seq,id,type,/);
    expect(rows.map((r) => r.split(',')[0])).toEqual(['1']);
  });

  it('list the signed checkpoints newest first, a page at a time, each verifying, for a token only', async () => {
    endpoint = await testEndpoint({ checkpointEveryRecords: 2, logOrigin: 'records.shop.example/assent' });
    for (let i = 0; i < 5; i++) {
      await endpoint.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { origin: PAGE_ORIGIN },
        payload: [acceptance(), acceptance()],
      });
    }
    const page = async (query: string) =>
      (await endpoint!.app.inject({ method: 'GET', url: `/v1/checkpoints${query}`, headers: auth })).json();
    const first = await page('?limit=3');
    expect(first.checkpoints.map((c: { treeSize: number }) => c.treeSize)).toEqual([10, 8, 6]);
    expect(first.next).toBe(6);
    const second = await page(`?limit=3&before=${first.next}`);
    expect(second).toMatchObject({ next: null });
    expect(second.checkpoints.map((c: { treeSize: number }) => c.treeSize)).toEqual([4, 2]);
    expect((await page('')).checkpoints).toHaveLength(5);

    const jwks = (await endpoint.app.inject({ method: 'GET', url: '/.well-known/assent-keys.json' })).json();
    for (const answer of [...first.checkpoints, ...second.checkpoints]) {
      const signed = await verifyCheckpoint(answer.note, jwks, { origin: 'records.shop.example/assent' });
      expect(signed.treeSize).toBe(answer.treeSize);
      expect(toBase64(signed.rootHash)).toBe(answer.rootHash);
      expect(signed.time).toBe(answer.signedAt);
    }
    expect((await endpoint.app.inject({ method: 'GET', url: '/v1/checkpoints' })).statusCode).toBe(401);
    const wrong = await endpoint.app.inject({ method: 'GET', url: '/v1/checkpoints?limit=0', headers: auth });
    expect(wrong.statusCode).toBe(400);
  });
});
