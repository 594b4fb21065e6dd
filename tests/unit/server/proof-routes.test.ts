import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../src/contract/proof/bytes.ts';
import { verifyCheckpoint } from '../../../src/contract/proof/checkpoint.ts';
import { verifyRecordInclusion } from '../../../src/contract/proof/inclusion.ts';
import { verifyConsistency } from '../../../src/contract/proof/merkle.ts';
import { verifyReceipt } from '../../../src/contract/proof/receipt.ts';
import { testEndpoint, type TestEndpoint } from '../../helpers/endpoint.ts';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { acceptance, consent, PAGE_ORIGIN } from '../../helpers/records.ts';

const post = (endpoint: TestEndpoint, body: unknown) =>
  endpoint.app.inject({
    method: 'POST',
    url: '/v1/records',
    headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
    payload: JSON.stringify(body),
  });

const get = async (endpoint: TestEndpoint, url: string) => endpoint.app.inject({ method: 'GET', url });

describe('signed receipts and proof routes', () => {
  let endpoint: TestEndpoint;
  beforeEach(async () => {
    endpoint = await testEndpoint({ checkpointEveryRecords: 3, logOrigin: 'records.shop.example/assent' });
  });
  afterEach(() => endpoint.close());

  it('answers each record with a receipt that verifies offline against the published keys', async () => {
    const record = acceptance({ subject: { kind: 'user', id: 'user-42' } });
    const first = await post(endpoint, record);
    expect(first.statusCode).toBe(201);
    const jwks = (await get(endpoint, '/.well-known/assent-keys.json')).json();
    const claims = await verifyReceipt(first.json().receipt, jwks, {
      subject: 'user-42',
      document: record.document!.slug,
      version: record.document!.version,
      contentHash: record.document!.contentHash,
      issuer: 'records.shop.example/assent',
    });
    expect(claims).toMatchObject({ seq: 1, jti: record.id, type: 'accepted', hash: first.json().hash });
    const retry = await post(endpoint, record);
    expect(retry.statusCode).toBe(200);
    expect(await verifyReceipt(retry.json().receipt, jwks)).toEqual(claims);
  });

  it('signs the receipts of requests committed together once, each verifying on its own', async () => {
    const records = Array.from({ length: 6 }, () => acceptance());
    const answers = await Promise.all(records.map((record) => post(endpoint, record)));
    const jwks = (await get(endpoint, '/.well-known/assent-keys.json')).json();
    const receipts: string[] = answers.map((a) => a.json().receipt);
    // Fewer signatures than records: the JWS before the first "~" is the batch's.
    expect(new Set(receipts.map((r) => r.split('~')[0])).size).toBeLessThan(records.length);
    for (const [i, receipt] of receipts.entries()) {
      await expect(verifyReceipt(receipt, jwks)).resolves.toMatchObject({ jti: records[i]!.id });
    }
    // A retry of one of them, alone now, is another batch: an equally valid receipt, same claims.
    const retry = await post(endpoint, records[2]);
    expect(retry.statusCode).toBe(200);
    expect(await verifyReceipt(retry.json().receipt, jwks)).toEqual(await verifyReceipt(receipts[2], jwks));
  });

  it('gives every record of a batch its own receipt, a cookie consent one without a document', async () => {
    const answer = await post(endpoint, [acceptance(), consent()]);
    const jwks = (await get(endpoint, '/.well-known/assent-keys.json')).json();
    const [a, b] = answer.json().records;
    expect((await verifyReceipt(a.receipt, jwks)).seq).toBe(1);
    expect(await verifyReceipt(b.receipt, jwks)).toMatchObject({ seq: 2, type: 'consent', document: null });
  });

  it('serves the checkpoint, an inclusion proof and a consistency proof that verify', async () => {
    expect((await get(endpoint, '/v1/checkpoint')).json()).toMatchObject({
      status: 404,
      code: 'no-checkpoint',
    });
    await post(endpoint, [acceptance(), acceptance()]);
    const second = await post(endpoint, [acceptance(), acceptance(), acceptance()]);
    const jwks = (await get(endpoint, '/.well-known/assent-keys.json')).json();
    const checkpoint = (await get(endpoint, '/v1/checkpoint')).json();
    expect(checkpoint.treeSize).toBe(5);
    const signed = await verifyCheckpoint(checkpoint.note, jwks, { origin: 'records.shop.example/assent' });
    const receipt = second.json().records[1];
    const inclusion = (await get(endpoint, `/v1/proof/inclusion?seq=${receipt.seq}`)).json();
    await expect(verifyRecordInclusion(inclusion, jwks, { recordHash: receipt.hash })).resolves.toMatchObject(
      {
        treeSize: 5,
      },
    );
    const first = await verifyCheckpoint((await endpoint.store.checkpoint(2))!.note, jwks);
    const consistency = (await get(endpoint, '/v1/proof/consistency?from=2&to=5')).json();
    const proof = { fromSize: 2, toSize: 5, path: consistency.path.map(fromBase64) };
    expect(await verifyConsistency(proof, first.rootHash, signed.rootHash)).toBe(true);
  });

  it.each([
    ['/v1/proof/inclusion?seq=0', 400, 'invalid-query'],
    ['/v1/proof/inclusion?seq=abc', 400, 'invalid-query'],
    ['/v1/proof/inclusion?seq=1&size=99', 400, 'proof-out-of-range'],
    ['/v1/proof/inclusion?seq=9', 400, 'proof-out-of-range'],
    ['/v1/proof/consistency?from=3&to=2', 400, 'proof-out-of-range'],
    ['/v1/proof/consistency?from=1&to=99', 400, 'proof-out-of-range'],
    ['/v1/proof/consistency?from=1', 400, 'invalid-query'],
  ])('refuses %s with %i %s as problem details', async (url, status, code) => {
    await post(endpoint, [acceptance(), acceptance(), acceptance()]);
    const answer = await get(endpoint, url);
    expect(answer.statusCode).toBe(status);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.json()).toMatchObject({ code });
  });
});

describe.skipIf(postgresSkipReason !== undefined)('signed receipts on PostgreSQL', () => {
  it(
    'signs, in the route, one batch for requests answered together, each verifying on its own',
    { timeout: 60_000 },
    async () => {
      const schema = await freshSchema();
      const endpoint = await testEndpoint({
        databaseUrl: schema.url,
        logOrigin: 'records.shop.example/assent',
      });
      try {
        const records = Array.from({ length: 6 }, () => acceptance());
        const answers = await Promise.all(records.map((record) => post(endpoint, record)));
        const jwks = (await get(endpoint, '/.well-known/assent-keys.json')).json();
        const receipts: string[] = answers.map((a) => a.json().receipt);
        expect(new Set(receipts.map((r) => r.split('~')[0])).size).toBeLessThan(records.length);
        for (const [i, receipt] of receipts.entries()) {
          await expect(
            verifyReceipt(receipt, jwks, { issuer: 'records.shop.example/assent' }),
          ).resolves.toMatchObject({ jti: records[i]!.id, hash: answers[i]!.json().hash });
        }
      } finally {
        await endpoint.close();
        await schema.drop();
      }
    },
  );
});
