/**
 * Webhooks through the endpoint, on SQLite and PostgreSQL, delivering to a real receiver on
 * 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordInput, StoredRecord } from '../../../src/contract/record.ts';
import { loadServerConfig } from '../../../src/server/config.ts';
import { createHttpServer } from '../../../src/server/http-server.ts';
import { WebhookDispatcher } from '../../../src/server/webhooks/dispatcher.ts';
import { WEBHOOKS_FILE } from '../../../src/server/webhooks/sqlite-webhooks.ts';
import { verifySignature } from '../../../src/server/webhooks/signature.ts';
import { OPERATOR_TOKEN } from '../../helpers/endpoint.ts';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { startReceiver, type Receiver } from '../../helpers/receiver.ts';
import { acceptance, consent, manifestFile, PAGE_ORIGIN } from '../../helpers/records.ts';

const AUDITOR = 'auditor-token-for-webhook-tests';

interface Harness {
  open(): Promise<FastifyInstance>;
  /** The secrets as the database holds them. */
  storedSecrets(): Promise<Array<{ id: string; secret: string }>>;
  /** Writes a secret into the database as it is, as an earlier version kept them. */
  storeSecret(id: string, secret: string): Promise<void>;
  cleanup(): Promise<void>;
}

function sqlite(): Harness {
  const dataDir = mkdtempSync(join(tmpdir(), 'assent-webhooks-'));
  const database = () => new Database(join(dataDir, WEBHOOKS_FILE));
  return {
    open: () => createHttpServer(loadServerConfig({ env: {}, flags: { ...settings(), dataDir } })),
    storedSecrets: async () => {
      const db = database();
      try {
        return db.prepare<[], { id: string; secret: string }>('SELECT id, secret FROM webhooks').all();
      } finally {
        db.close();
      }
    },
    storeSecret: async (id, secret) => {
      const db = database();
      db.prepare('UPDATE webhooks SET secret = ? WHERE id = ?').run(secret, id);
      db.close();
    },
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function query<R extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function postgres(): Harness {
  let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'assent-webhooks-'));
  return {
    open: async () =>
      createHttpServer(
        loadServerConfig({
          env: {},
          flags: { ...settings(), dataDir, databaseUrl: (schema ??= await freshSchema()).url },
        }),
      ),
    storedSecrets: () => query(schema!.url, 'SELECT id, secret FROM webhooks'),
    storeSecret: async (id, secret) => {
      await query(schema!.url, 'UPDATE webhooks SET secret = $1 WHERE id = $2', [secret, id]);
    },
    cleanup: async () => {
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const settings = () => ({
  manifest: manifestFile,
  hmacSecret: '07'.repeat(32),
  allowedOrigins: [PAGE_ORIGIN],
  operatorToken: OPERATOR_TOKEN,
  auditorToken: AUDITOR,
  rateLimitPerMinute: 0,
  commitWindowMs: 0,
  // Rounds are driven by the tests (dispatcher.round()); the timer only as a fallback.
  webhookIntervalMs: 60_000,
});

for (const [name, harness, skip] of [
  ['SQLite', sqlite, undefined],
  ['PostgreSQL', postgres, postgresSkipReason],
] as const) {
  describe.skipIf(skip !== undefined)(`${name} webhooks${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let h: Harness;
    let app: FastifyInstance;
    let receiver: Receiver;
    beforeEach(async () => {
      h = harness();
      app = await h.open();
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await app.close();
      await receiver.close();
      await h.cleanup();
    });

    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const post = async (records: RecordInput[]) => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { origin: PAGE_ORIGIN },
        payload: records,
      });
      expect(response.statusCode).toBe(201);
    };
    const register = async (body: object) => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: as(OPERATOR_TOKEN),
        payload: { partner: 'Shop', url: receiver.url, ...body },
      });
      expect(response.statusCode).toBe(201);
      return response.json() as { webhook: { id: string }; secret: string };
    };
    const received = () => receiver.deliveries.map((d) => JSON.parse(d.body) as StoredRecord);

    it('delivers each record stored after registration that matches the filter, in order, signed', async () => {
      await post([acceptance()]);
      const { webhook, secret } = await register({ types: ['accepted', 'declined'] });
      expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
      await post([
        acceptance(),
        consent({ analytics: 'granted' }),
        acceptance({ type: 'declined' }),
        acceptance(),
      ]);
      await app.webhooks.dispatcher.round();
      expect(received().map((r) => [r.seq, r.type])).toEqual([
        [2, 'accepted'],
        [4, 'declined'],
        [5, 'accepted'],
      ]);
      for (const delivery of receiver.deliveries) {
        const header = String(delivery.headers['assent-signature']);
        expect(verifySignature(secret, delivery.body, header)).toBe(true);
        expect(verifySignature(secret, delivery.body.replace('"seq":', '"seq":9'), header)).toBe(false);
        expect(verifySignature(`${secret}0`, delivery.body, header)).toBe(false);
        expect(delivery.headers['assent-delivery']).toBe(`${webhook.id}:${JSON.parse(delivery.body).seq}`);
      }
      const list = (await app.inject({ url: '/v1/webhooks', headers: as(OPERATOR_TOKEN) })).json();
      expect(list.webhooks).toMatchObject([{ id: webhook.id, deliveredThrough: 5, failures: 0 }]);
      expect(JSON.stringify(list)).not.toContain(secret);
    });

    it('says what went wrong when no answer comes: a refused connection, or a receiver past the timeout', async () => {
      await register({});
      await post([acceptance()]);
      receiver.delayMs = 2000;
      const impatient = new WebhookDispatcher({
        webhooks: app.webhooks.store,
        records: app.store,
        timeoutMs: 200,
      });
      await impatient.round();
      await impatient.close();
      const lastError = async () =>
        (await app.inject({ url: '/v1/webhooks', headers: as(OPERATOR_TOKEN) })).json().webhooks[0].lastError;
      expect(await lastError()).toBe('no answer within 0.2 s');

      await receiver.close();
      // Past the backoff of one failure.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await app.webhooks.dispatcher.round();
      expect(await lastError()).toBe('no answer: ECONNREFUSED');
    });

    it('keeps secrets sealed in the database, and seals those an earlier version kept in clear', async () => {
      const { webhook, secret } = await register({});
      const [stored] = await h.storedSecrets();
      expect(stored!.id).toBe(webhook.id);
      expect(stored!.secret).toMatch(/^sealed:v1:/);
      expect(stored!.secret).not.toContain(secret.slice('whsec_'.length));

      // As an earlier version left it: in clear. Deliveries still sign with it, and a restart seals it.
      await h.storeSecret(webhook.id, secret);
      await app.close();
      app = await h.open();
      expect((await h.storedSecrets())[0]!.secret).toMatch(/^sealed:v1:/);
      await post([acceptance()]);
      await app.webhooks.dispatcher.round();
      expect(receiver.deliveries).toHaveLength(1);
      const [delivery] = receiver.deliveries;
      expect(verifySignature(secret, delivery!.body, String(delivery!.headers['assent-signature']))).toBe(
        true,
      );
    });

    it('keeps the order through failures: nothing after a refused record is sent until it is delivered', async () => {
      const { webhook } = await register({});
      receiver.answers.push(500);
      await post([acceptance(), acceptance(), acceptance()]);
      await app.webhooks.dispatcher.round();
      expect(received()).toEqual([]);
      const failing = (await app.inject({ url: '/v1/webhooks', headers: as(OPERATOR_TOKEN) })).json()
        .webhooks[0];
      expect(failing).toMatchObject({
        deliveredThrough: 0,
        failures: 1,
        lastError: 'the receiver answered 500',
      });
      expect(Date.parse(failing.nextAttemptAt)).toBeGreaterThan(Date.now());
      // Not before the backoff has passed.
      await app.webhooks.dispatcher.round();
      expect(received()).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await app.webhooks.dispatcher.round();
      expect(received().map((r) => r.seq)).toEqual([1, 2, 3]);
      const attempts = (
        await app.inject({ url: `/v1/webhooks/${webhook.id}/attempts`, headers: as(OPERATOR_TOKEN) })
      ).json().attempts;
      expect(attempts.map((a: { seq: number; ok: boolean }) => [a.seq, a.ok])).toEqual([
        [3, true],
        [2, true],
        [1, true],
        [1, false],
      ]);
    });

    it('sends a delivered record again when the operator asks, marked as a replay', async () => {
      const { webhook } = await register({});
      await post([acceptance(), acceptance()]);
      await app.webhooks.dispatcher.round();
      const replay = await app.inject({
        method: 'POST',
        url: `/v1/webhooks/${webhook.id}/replay`,
        headers: as(OPERATOR_TOKEN),
        payload: { seq: 1 },
      });
      expect(replay.statusCode).toBe(202);
      await app.webhooks.dispatcher.round();
      expect(received().map((r) => r.seq)).toEqual([1, 2, 1]);
      expect(receiver.deliveries[2]!.headers['assent-replay']).toBe('true');
    });

    it('goes on after a restart from where deliveries stopped', async () => {
      await register({});
      receiver.answers.push(503);
      await post([acceptance(), acceptance()]);
      await app.webhooks.dispatcher.round();
      await app.close();
      app = await h.open();
      await post([acceptance()]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await app.webhooks.dispatcher.round();
      expect(received().map((r) => r.seq)).toEqual([1, 2, 3]);
    });

    it('refuses a URL that is not an http:// or https:// address, saying what to give', async () => {
      for (const [url, expected] of [
        [
          'ftp://shop.example/hooks',
          /is not an http:\/\/ or https:\/\/ address.*like https:\/\/shop\.example\/assent-hook/,
        ],
        ['javascript:alert(1)', /is not an http:\/\/ or https:\/\/ address/],
        ['shop.example/hooks', /is not an absolute URL: give the whole address/],
      ] as const) {
        const response = await app.inject({
          method: 'POST',
          url: '/v1/webhooks',
          headers: as(OPERATOR_TOKEN),
          payload: { partner: 'Shop', url },
        });
        expect(response.statusCode, url).toBe(400);
        expect(response.json()).toMatchObject({
          code: 'invalid-webhook-url',
          detail: expect.stringMatching(expected),
        });
      }
      expect(
        (await app.inject({ url: '/v1/webhooks', headers: as(OPERATOR_TOKEN) })).json().webhooks,
      ).toEqual([]);
    });

    it('is for the admin token only, and removes a webhook', async () => {
      const refused = await app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: as(AUDITOR),
        payload: { partner: 'Shop', url: receiver.url },
      });
      expect(refused.statusCode).toBe(403);
      expect((await app.inject({ url: '/v1/webhooks', headers: as(AUDITOR) })).statusCode).toBe(403);
      const { webhook } = await register({});
      const removed = await app.inject({
        method: 'DELETE',
        url: `/v1/webhooks/${webhook.id}`,
        headers: as(OPERATOR_TOKEN),
      });
      expect(removed.statusCode).toBe(204);
      await post([acceptance()]);
      await app.webhooks.dispatcher.round();
      expect(received()).toEqual([]);
    });
  });
}
