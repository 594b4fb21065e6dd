import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyReceipt } from '../../../src/contract/proof/receipt.ts';
import { mintSubjectToken } from '../../../src/contract/subject-token.ts';
import { newPartnerKey } from '../../../src/server/partners/partner-keys.ts';
import { testEndpoint, type TestEndpoint } from '../../helpers/endpoint.ts';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { acceptance, PAGE_ORIGIN } from '../../helpers/records.ts';

const AGREEMENT = 'weisure-service-agreement';
const PRIVACY = 'besttrav-privacy-policy';
/** Has an acceptance stored; `NOBODY` has no record at all. */
const KNOWN = 'user-42';
const NOBODY = 'never-seen-subject';

interface Key {
  id: string;
  secret: string;
}

interface Harness {
  open(): Promise<TestEndpoint>;
  cleanup(): Promise<void>;
}

async function partnerKey(
  endpoint: TestEndpoint,
  fields: { origins?: string[]; documents?: string[] } = {},
): Promise<Key> {
  const made = newPartnerKey({
    name: 'shop',
    origins: fields.origins ?? [PAGE_ORIGIN],
    documents: fields.documents ?? [AGREEMENT, PRIVACY],
  });
  await endpoint.app.partnerKeys.add(made.key, made.keyHash);
  return { id: made.key.id, secret: made.secret };
}

const mint = (key: Key, subject: string, options: { seconds?: number; now?: number } = {}) =>
  mintSubjectToken({ partnerKey: key.secret, partnerId: key.id, subject, ...options });

/** Each request from an address of its own: forged tokens count against their address (tested apart). */
let address = 0;

function standing(
  endpoint: TestEndpoint,
  token: string,
  query = `document=${AGREEMENT}`,
  origin = PAGE_ORIGIN,
) {
  address += 1;
  return endpoint.app.inject({
    method: 'GET',
    remoteAddress: `10.0.${address >> 8}.${address & 255}`,
    url: `/v1/standing?${query}`,
    headers: { authorization: `Bearer ${token}`, ...(origin && { origin }) },
  });
}

/** The same from one fixed address, for the tests of what an address's forged tokens cost it. */
function standingFrom(remoteAddress: string, endpoint: TestEndpoint, token: string) {
  return endpoint.app.inject({
    method: 'GET',
    url: `/v1/standing?document=${AGREEMENT}`,
    remoteAddress,
    headers: { authorization: `Bearer ${token}`, origin: PAGE_ORIGIN },
  });
}

/** A token whose claims are replaced, keeping the original signature. */
function withClaims(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [head, body, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  change(claims);
  return `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

type Refusal = {
  name: string;
  /** The request for `subject`, made with a fresh key of this endpoint. */
  request: (
    endpoint: TestEndpoint,
    key: Key,
    subject: string,
  ) => Promise<[token: string, origin?: string, query?: string]>;
  status: number;
  code: string;
};

const REFUSALS: Refusal[] = [
  {
    name: 'an expired token',
    request: async (_e, k, s) => [await mint(k, s, { seconds: 600, now: Date.now() - 601_000 })],
    status: 401,
    code: 'subject-token-refused',
  },
  {
    name: 'a token that lives longer than ten minutes',
    request: async (_e, k, s) => [await mint(k, s, { seconds: 600, now: Date.now() + 120_000 })],
    status: 401,
    code: 'subject-token-refused',
  },
  {
    name: 'a token whose subject was changed after signing',
    request: async (_e, k, s) => [withClaims(await mint(k, 'someone-else'), (c) => (c.sub = s))],
    status: 401,
    code: 'subject-token-refused',
  },
  {
    name: 'a token whose expiry was pushed back after signing',
    request: async (_e, k, s) => [
      withClaims(
        await mint(k, s, { seconds: 1, now: Date.now() - 60_000 }),
        (c) => (c.exp = Math.floor(Date.now() / 1000) + 300),
      ),
    ],
    status: 401,
    code: 'subject-token-refused',
  },
  {
    name: "a token signed with another partner's key, naming this partner",
    request: async (e, k, s) => {
      const other = await partnerKey(e);
      return [await mintSubjectToken({ partnerKey: other.secret, partnerId: k.id, subject: s })];
    },
    status: 401,
    code: 'subject-token-refused',
  },
  {
    name: 'a token naming a partner key that does not exist',
    request: async (_e, k, s) => [
      await mintSubjectToken({ partnerKey: k.secret, partnerId: 'no-such-key', subject: s }),
    ],
    status: 401,
    code: 'subject-token-refused',
  },
  {
    name: 'a token that is not one',
    request: async () => ['eyJub3QiOiJqc29uIn0.e30.AAAA'],
    status: 401,
    code: 'subject-token-refused',
  },
  {
    name: 'a token of a revoked key',
    request: async (e, k, s) => {
      const token = await mint(k, s);
      await e.app.partnerKeys.revoke(k.id, new Date().toISOString());
      return [token];
    },
    status: 401,
    code: 'subject-token-refused',
  },
  {
    name: 'a token used from an origin its key does not list',
    request: async (_e, k, s) => [await mint(k, s), 'https://evil.example'],
    status: 403,
    code: 'partner-origin-not-allowed',
  },
  {
    name: 'a token of a server-to-server key used from a browser',
    request: async (e, _k, s) => [await mint(await partnerKey(e, { origins: [] }), s)],
    status: 403,
    code: 'partner-origin-not-allowed',
  },
  {
    name: 'a token asking about a document its key may not',
    request: async (e, _k, s) => [await mint(await partnerKey(e, { documents: [PRIVACY] }), s)],
    status: 403,
    code: 'document-not-allowed',
  },
  {
    name: 'a token asking about another subject (one with records, one without)',
    request: async (_e, k, s) => [
      await mint(k, s),
      PAGE_ORIGIN,
      `subject=${s === KNOWN ? NOBODY : KNOWN}&document=${AGREEMENT}`,
    ],
    status: 403,
    code: 'subject-not-in-token',
  },
];

function subjectTokenSuite(name: string, harness: () => Harness, skip?: string): void {
  describe.skipIf(skip !== undefined)(`GET /v1/standing with a subject token (${name})`, () => {
    let h: Harness;
    let endpoint: TestEndpoint;
    beforeAll(async () => {
      h = harness();
      endpoint = await h.open();
      const stored = await endpoint.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
        payload: JSON.stringify(acceptance({ subject: { kind: 'user', id: KNOWN } })),
      });
      expect(stored.statusCode).toBe(201);
    }, 60_000);
    afterAll(async () => {
      await endpoint?.close();
      await h?.cleanup();
    });

    it("answers its subject's standing to a page of the key's origins, readable there (CORS)", async () => {
      const key = await partnerKey(endpoint);
      const answer = await standing(endpoint, await mint(key, KNOWN));
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBe(PAGE_ORIGIN);
      const [agreement] = answer.json().documents;
      expect(agreement).toMatchObject({
        document: AGREEMENT,
        latest: { type: 'accepted' },
        needed: 'nothing',
      });
      const jwks = (
        await endpoint.app.inject({ method: 'GET', url: '/.well-known/assent-keys.json' })
      ).json();
      await expect(verifyReceipt(agreement.latest.receipt, jwks, { subject: KNOWN })).resolves.toMatchObject({
        type: 'accepted',
      });
    });

    it('answers a subject without records exactly as it answers one who accepted nothing', async () => {
      const key = await partnerKey(endpoint);
      const answer = await standing(endpoint, await mint(key, NOBODY));
      expect(answer.statusCode).toBe(200);
      expect(answer.json().documents[0]).toMatchObject({ latest: null, needed: 'accept' });
    });

    it('takes the token from a backend too (no Origin header)', async () => {
      const key = await partnerKey(endpoint, { origins: [] });
      const answer = await standing(endpoint, await mint(key, KNOWN), `document=${AGREEMENT}`, '');
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    });

    it("answers a preflight from a key's origin, for GET with Authorization, and no other origin", async () => {
      await partnerKey(endpoint);
      const preflight = (origin: string) =>
        endpoint.app.inject({
          method: 'OPTIONS',
          url: `/v1/standing?document=${AGREEMENT}`,
          headers: {
            origin,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization',
          },
        });
      const allowed = await preflight(PAGE_ORIGIN);
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe(PAGE_ORIGIN);
      expect(allowed.headers['access-control-allow-headers']).toBe('authorization');
      expect(allowed.headers['access-control-allow-methods']).toBe('GET');
      const other = await preflight('https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect(other.statusCode).toBe(404);
    });

    it('gives no other origin CORS access to the answer', async () => {
      const key = await partnerKey(endpoint, { origins: ['https://other-shop.example'] });
      const answer = await standing(
        endpoint,
        await mint(key, KNOWN),
        `document=${AGREEMENT}`,
        'https://evil.example',
      );
      expect(answer.statusCode).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('refuses a token asked with before, once it expires or its key is revoked', async () => {
      const key = await partnerKey(endpoint);
      const token = await mint(key, KNOWN, { seconds: 60 });
      expect((await standing(endpoint, token)).statusCode).toBe(200);
      expect((await standing(endpoint, token)).statusCode).toBe(200);
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
      try {
        const expired = await standing(endpoint, token);
        expect(expired.json()).toMatchObject({ status: 401, code: 'subject-token-refused' });
        expect(expired.json().detail).toMatch(/expired/);
      } finally {
        vi.useRealTimers();
      }
      const other = await partnerKey(endpoint);
      const fresh = await mint(other, KNOWN);
      expect((await standing(endpoint, fresh)).statusCode).toBe(200);
      await endpoint.app.partnerKeys.revoke(other.id, new Date().toISOString());
      const revoked = await standing(endpoint, fresh);
      expect(revoked.json()).toMatchObject({ status: 401, code: 'subject-token-refused' });
      expect(revoked.json().detail).toMatch(/revoked/);
    });

    it("answers a page's elements asking at once with one token, and refuses each forged one", async () => {
      const key = await partnerKey(endpoint);
      const token = await mint(key, KNOWN);
      const both = await Promise.all([standing(endpoint, token), standing(endpoint, token)]);
      expect(both.map((a) => a.statusCode)).toEqual([200, 200]);
      expect(both[1]!.json()).toEqual(both[0]!.json());
      // Ten at once from one address: each is refused and counts, as ten one after another do.
      const forged = withClaims(token, (c) => (c.sub = NOBODY));
      const from = (sent: string) => standingFrom('192.0.2.8', endpoint, sent);
      const refused = await Promise.all(Array.from({ length: 10 }, () => from(forged)));
      for (const answer of refused)
        expect(answer.json()).toMatchObject({ status: 401, code: 'subject-token-refused' });
      expect((await from(token)).json()).toMatchObject({ status: 429, code: 'rate-limited' });
      expect((await standing(endpoint, token)).statusCode).toBe(200);
    });

    it('refuses even a good token from an address that sent ten forged ones', async () => {
      const key = await partnerKey(endpoint);
      const good = await mint(key, KNOWN);
      const forged = withClaims(good, (c) => (c.sub = NOBODY));
      const from = (token: string) => standingFrom('192.0.2.7', endpoint, token);
      for (let i = 0; i < 10; i++) expect((await from(forged)).statusCode).toBe(401);
      const answer = await from(good);
      expect(answer.json()).toMatchObject({ status: 429, code: 'rate-limited' });
    });

    for (const refusal of REFUSALS) {
      it(`refuses ${refusal.name} with ${refusal.status} ${refusal.code}, saying the same for any subject`, async () => {
        const said = [];
        for (const subject of [KNOWN, NOBODY]) {
          const key = await partnerKey(endpoint);
          const [token, origin, query] = await refusal.request(endpoint, key, subject);
          const answer = await standing(endpoint, token, query, origin);
          expect(answer.statusCode).toBe(refusal.status);
          expect(answer.headers['content-type']).toContain('application/problem+json');
          const body = answer.json();
          expect(body).toMatchObject({ status: refusal.status, code: refusal.code });
          expect(answer.body).not.toContain(subject);
          expect(answer.body).not.toContain('receipt');
          // Key ids and times differ per request; nothing else may depend on the subject.
          said.push(
            JSON.stringify({ ...body, instance: undefined })
              .replace(/\b[0-9a-f]{12}\b/g, '<key>')
              .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>'),
          );
        }
        expect(said[0]).toBe(said[1]);
      });
    }
  });
}

subjectTokenSuite('SQLite', () => ({
  open: () => testEndpoint({ rateLimitPerMinute: 0 }),
  cleanup: async () => {},
}));

let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
subjectTokenSuite(
  'PostgreSQL',
  () => ({
    async open() {
      schema = await freshSchema();
      return testEndpoint({ databaseUrl: schema.url });
    },
    cleanup: async () => schema?.drop(),
  }),
  postgresSkipReason,
);
