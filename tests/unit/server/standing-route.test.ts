import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../../src/contract/proof/receipt.ts';
import { newPartnerKey } from '../../../src/server/partners/partner-keys.ts';
import { openSqliteStore } from '../../../src/server/store/sqlite-store.ts';
import { keyFromHex } from '../../../src/server/subject-keys.ts';
import { assent } from '../../helpers/cli.ts';
import { testEndpoint, type TestEndpoint } from '../../helpers/endpoint.ts';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { acceptance, draft, manifest, PAGE_ORIGIN } from '../../helpers/records.ts';

const AGREEMENT = 'weisure-service-agreement';
const PRIVACY = 'besttrav-privacy-policy';
const privacy = manifest.documents.find((d) => d.slug === PRIVACY)!.versions;

async function partnerKey(
  endpoint: TestEndpoint,
  fields: { origins?: string[]; documents?: string[] } = {},
): Promise<{ id: string; secret: string }> {
  const made = newPartnerKey({
    name: 'shop backend',
    origins: fields.origins ?? [PAGE_ORIGIN],
    documents: fields.documents ?? [AGREEMENT, PRIVACY],
  });
  await endpoint.app.partnerKeys.add(made.key, made.keyHash);
  return { id: made.key.id, secret: made.secret };
}

const standing = (endpoint: TestEndpoint, query: string, headers: Record<string, string> = {}) =>
  endpoint.app.inject({ method: 'GET', url: `/v1/standing?${query}`, headers });

const post = (endpoint: TestEndpoint, body: unknown) =>
  endpoint.app.inject({
    method: 'POST',
    url: '/v1/records',
    headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
    payload: JSON.stringify(body),
  });

const privacyRecord = (
  type: 'acknowledged' | 'accepted',
  version: (typeof privacy)[number],
  subject = 'user-42',
) =>
  acceptance({
    type,
    subject: { kind: 'user', id: subject },
    document: { slug: PRIVACY, version: version.version, contentHash: version.contentHash },
  });

describe('GET /v1/standing', () => {
  let endpoint: TestEndpoint;
  let key: { id: string; secret: string };
  let auth: Record<string, string>;
  beforeEach(async () => {
    endpoint = await testEndpoint({ logOrigin: 'records.shop.example/assent' });
    key = await partnerKey(endpoint);
    auth = { authorization: `Bearer ${key.secret}` };
  });
  afterEach(() => endpoint.close());

  it('answers per document: version in effect, latest acceptance with a receipt that verifies, what is needed', async () => {
    const accepted = acceptance({ subject: { kind: 'user', id: 'user-42' } });
    expect((await post(endpoint, accepted)).statusCode).toBe(201);
    await post(endpoint, privacyRecord('acknowledged', privacy[0]!));
    const answer = await standing(
      endpoint,
      `subject=user-42&document=${AGREEMENT}&document=${PRIVACY}`,
      auth,
    );
    expect(answer.statusCode).toBe(200);
    const body = answer.json();
    expect(body.today).toBe(new Date().toISOString().slice(0, 10));
    const [agreement, policy] = body.documents;
    expect(agreement).toMatchObject({
      document: AGREEMENT,
      inEffect: {
        version: '2018-06-01',
        acceptance: 'required',
        contentHash: accepted.document!.contentHash,
      },
      latest: { version: '2018-06-01', type: 'accepted', seq: 1 },
      accepted: { version: '2018-06-01', seq: 1, receipt: agreement.latest.receipt },
      needed: 'nothing',
    });
    const jwks = (await endpoint.app.inject({ method: 'GET', url: '/.well-known/assent-keys.json' })).json();
    const claims = await verifyReceipt(agreement.latest.receipt, jwks, {
      subject: 'user-42',
      document: AGREEMENT,
      version: '2018-06-01',
      contentHash: accepted.document!.contentHash,
      issuer: 'records.shop.example/assent',
    });
    expect(claims).toMatchObject({ jti: accepted.id, seq: 1, type: 'accepted' });
    // The older notice was acknowledged; the newer one in effect was not.
    expect(policy).toMatchObject({
      document: PRIVACY,
      inEffect: { version: '2021-06-01', acceptance: 'notice' },
      latest: { version: '2020-12-01', type: 'acknowledged', seq: 2 },
      needed: 'acknowledge',
    });
  });

  it('names the latest acceptance beside the latest record, also when a notice was acknowledged since', async () => {
    const accepted = privacyRecord('accepted', privacy[0]!);
    await post(endpoint, accepted);
    await post(endpoint, privacyRecord('acknowledged', privacy[1]!));
    const [policy, agreement] = (
      await standing(endpoint, `subject=user-42&document=${PRIVACY}&document=${AGREEMENT}`, auth)
    ).json().documents;
    expect(policy.latest).toMatchObject({ version: privacy[1]!.version, type: 'acknowledged', seq: 2 });
    expect(policy.accepted).toMatchObject({ version: privacy[0]!.version, seq: 1 });
    expect(policy.accepted).not.toHaveProperty('type');
    const jwks = (await endpoint.app.inject({ method: 'GET', url: '/.well-known/assent-keys.json' })).json();
    const claims = await verifyReceipt(policy.accepted.receipt, jwks, {
      subject: 'user-42',
      document: PRIVACY,
    });
    expect(claims).toMatchObject({ jti: accepted.id, type: 'accepted' });
    expect(agreement).toMatchObject({ latest: null, accepted: null });
  });

  it('says nothing is needed once the notice in effect is acknowledged, and accept for a subject who never accepted', async () => {
    await post(endpoint, privacyRecord('acknowledged', privacy[1]!));
    const answer = (
      await standing(endpoint, `subject=user-42&document=${PRIVACY}&document=${AGREEMENT}`, auth)
    ).json();
    expect(answer.documents.map((d: { needed: string }) => d.needed)).toEqual(['nothing', 'accept']);
  });

  it('gives a subject without records the same shape as one with records elsewhere', async () => {
    await post(endpoint, acceptance({ subject: { kind: 'user', id: 'someone-else' } }));
    await post(endpoint, privacyRecord('acknowledged', privacy[1]!, 'user-7'));
    const never = await standing(endpoint, `subject=nobody-at-all&document=${AGREEMENT}`, auth);
    const other = await standing(endpoint, `subject=user-7&document=${AGREEMENT}`, auth);
    expect(never.statusCode).toBe(200);
    expect(never.json()).toEqual(other.json());
    expect(never.json().documents[0]).toMatchObject({ latest: null, needed: 'accept' });
  });

  it('takes a key sent from one of its origins, as a browser would send it', async () => {
    const answer = await standing(endpoint, `subject=user-42&document=${AGREEMENT}`, {
      ...auth,
      origin: PAGE_ORIGIN,
    });
    expect(answer.statusCode).toBe(200);
  });

  it('refuses even the right key from an address that sent ten wrong ones', async () => {
    const query = `subject=user-42&document=${AGREEMENT}`;
    for (let i = 0; i < 10; i++)
      expect((await standing(endpoint, query, { authorization: `Bearer wrong-${i}` })).statusCode).toBe(401);
    const answer = await standing(endpoint, query, auth);
    expect(answer.json()).toMatchObject({ status: 429, code: 'rate-limited' });
    expect(answer.headers['retry-after']).toBeDefined();
  });

  const refusals: Array<{
    name: string;
    request: (
      key: { id: string; secret: string },
      endpoint: TestEndpoint,
    ) => Promise<[string, Record<string, string>]>;
    status: number;
    code: string;
    detail?: RegExp;
  }> = [
    {
      name: 'no key',
      request: async () => [`subject=u&document=${AGREEMENT}`, {}],
      status: 401,
      code: 'partner-key-refused',
    },
    {
      name: 'a key in another scheme',
      request: async (k) => [`subject=u&document=${AGREEMENT}`, { authorization: `Basic ${k.secret}` }],
      status: 401,
      code: 'partner-key-refused',
    },
    {
      name: 'a wrong key',
      request: async (k) => [`subject=u&document=${AGREEMENT}`, { authorization: `Bearer ${k.secret}x` }],
      status: 401,
      code: 'partner-key-refused',
    },
    {
      name: 'a revoked key',
      request: async (k, e) => {
        await e.app.partnerKeys.revoke(k.id, new Date().toISOString());
        return [`subject=u&document=${AGREEMENT}`, { authorization: `Bearer ${k.secret}` }];
      },
      status: 401,
      code: 'partner-key-refused',
    },
    {
      name: 'a document the key may not ask about',
      request: async (_k, e) => {
        const narrow = await partnerKey(e, { documents: [PRIVACY] });
        return [
          `subject=u&document=${PRIVACY}&document=${AGREEMENT}`,
          { authorization: `Bearer ${narrow.secret}` },
        ];
      },
      status: 403,
      code: 'document-not-allowed',
    },
    {
      name: 'a disallowed Origin',
      request: async (k) => [
        `subject=u&document=${AGREEMENT}`,
        { authorization: `Bearer ${k.secret}`, origin: 'https://evil.example' },
      ],
      status: 403,
      code: 'partner-origin-not-allowed',
    },
    {
      name: 'an Origin with a server-to-server key',
      request: async (_k, e) => {
        const backendOnly = await partnerKey(e, { origins: [] });
        return [
          `subject=u&document=${AGREEMENT}`,
          { authorization: `Bearer ${backendOnly.secret}`, origin: PAGE_ORIGIN },
        ];
      },
      status: 403,
      code: 'partner-origin-not-allowed',
    },
    {
      name: 'no subject',
      request: async (k) => [`document=${AGREEMENT}`, { authorization: `Bearer ${k.secret}` }],
      status: 400,
      code: 'invalid-query',
      detail: /^\(query\) must have required property 'subject'/,
    },
    {
      name: 'no document',
      request: async (k) => ['subject=u', { authorization: `Bearer ${k.secret}` }],
      status: 400,
      code: 'invalid-query',
      detail: /'document'/,
    },
    {
      name: 'a document that is not a slug',
      request: async (k) => ['subject=u&document=Not%20A%20Slug', { authorization: `Bearer ${k.secret}` }],
      status: 400,
      code: 'invalid-query',
      detail: /\/document\/0 must match pattern/,
    },
    {
      name: 'an unknown parameter',
      request: async (k) => [
        `subject=u&document=${AGREEMENT}&all=1`,
        { authorization: `Bearer ${k.secret}` },
      ],
      status: 400,
      code: 'invalid-query',
    },
    {
      name: 'a document the manifest does not have',
      request: async (_k, e) => {
        const k = await partnerKey(e, { documents: ['gone-document'] });
        return ['subject=u&document=gone-document', { authorization: `Bearer ${k.secret}` }];
      },
      status: 422,
      code: 'unknown-document',
    },
  ];

  for (const refusal of refusals) {
    it(`refuses ${refusal.name} with ${refusal.status} ${refusal.code}`, async () => {
      await post(endpoint, acceptance({ subject: { kind: 'user', id: 'u' } }));
      const [query, headers] = await refusal.request(key, endpoint);
      const answer = await standing(endpoint, query, headers);
      expect(answer.statusCode).toBe(refusal.status);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.json()).toMatchObject({ status: refusal.status, code: refusal.code });
      if (refusal.detail) expect(answer.json().detail).toMatch(refusal.detail);
      expect(answer.body).not.toContain('seq');
    });
  }
});

describe('GET /v1/standing across HMAC key rotation', () => {
  it("finds a subject's acceptance stored under the previous key version", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-standing-'));
    const old = { current: 1, keys: new Map([[1, keyFromHex('05'.repeat(32))]]) };
    const before = openSqliteStore(dataDir, { commitWindowMs: 0, keys: old });
    await before.append([draft(acceptance({ subject: { kind: 'user', id: 'user-42' } }))]);
    await before.close();
    writeFileSync(
      join(dataDir, 'hmac-keys.json'),
      JSON.stringify({ current: 1, keys: { '1': '05'.repeat(32) } }),
    );
    const endpoint = await testEndpoint({ dataDir, hmacSecret: '07'.repeat(32), hmacKeyVersion: 2 });
    try {
      const key = await partnerKey(endpoint);
      const answer = await standing(endpoint, `subject=user-42&document=${AGREEMENT}`, {
        authorization: `Bearer ${key.secret}`,
      });
      expect(answer.json().documents[0]).toMatchObject({
        latest: { seq: 1, type: 'accepted' },
        needed: 'nothing',
      });
    } finally {
      await endpoint.close();
    }
  });
});

describe.skipIf(postgresSkipReason !== undefined)('GET /v1/standing on PostgreSQL', () => {
  it(
    'answers with a key made by `assent keys create --database`, and refuses it once revoked',
    { timeout: 60_000 },
    async () => {
      const schema = await freshSchema();
      const endpoint = await testEndpoint({ databaseUrl: schema.url });
      try {
        const created = assent([
          'keys',
          'create',
          '--name',
          'shop backend',
          '--document',
          AGREEMENT,
          '--database',
          schema.url,
        ]);
        expect(created.code).toBe(0);
        const secret = /^(assent_pk_\S+)$/m.exec(created.stdout)![1]!;
        await post(endpoint, acceptance({ subject: { kind: 'user', id: 'user-42' } }));
        const ask = () =>
          standing(endpoint, `subject=user-42&document=${AGREEMENT}`, { authorization: `Bearer ${secret}` });
        expect((await ask()).json().documents[0]).toMatchObject({
          latest: { seq: 1, type: 'accepted' },
          needed: 'nothing',
        });
        const [key] = await endpoint.app.partnerKeys.list();
        await endpoint.app.partnerKeys.revoke(key!.id, new Date().toISOString());
        expect((await ask()).json()).toMatchObject({ status: 401, code: 'partner-key-refused' });
      } finally {
        await endpoint.close();
        await schema.drop();
      }
    },
  );
});
