/**
 * A real endpoint process under concurrent load, killed without warning (SIGKILL) or asked to
 * stop (SIGTERM): every record that was answered 2xx must be stored after a restart, the
 * chain must verify, and the next signed checkpoint must cover every one of them with an
 * inclusion proof that verifies. Runs on SQLite, and on PostgreSQL when a test database is
 * configured.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyRecordInclusion } from '../../src/contract/proof/inclusion.ts';
import { inclusionAnswer } from '../../src/server/proof/proof-answers.ts';
import { openReader } from '../../src/server/store/open-store.ts';
import { freshSchema, postgresSkipReason } from '../helpers/postgres.ts';
import { startEndpointProcess, type EndpointProcess } from '../helpers/endpoint-process.ts';
import { acceptance, consent, PAGE_ORIGIN } from '../helpers/records.ts';

const TOKEN = 'crash-test-operator-token';

function startServer(store: { dataDir: string; databaseUrl?: string }): Promise<EndpointProcess> {
  return startEndpointProcess({
    ...store,
    operatorToken: TOKEN,
    env: { ASSENT_CHECKPOINT_EVERY_SECONDS: '0.5' },
  });
}

/** Posts records from `workers` loops until stopped; returns the ids answered 2xx. */
function load(url: string, workers: number) {
  const acknowledged = new Set<string>();
  let running = true;
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; running; i++) {
      const body =
        i % 5 === 4 ? [acceptance(), consent()] : w % 2 ? consent({ analytics: 'granted' }) : acceptance();
      try {
        const response = await fetch(`${url}/v1/records`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
          body: JSON.stringify(body),
        });
        if (response.ok) for (const r of Array.isArray(body) ? body : [body]) acknowledged.add(r.id);
        else await response.body?.cancel();
      } catch {
        // The server went away mid-request: that record was never acknowledged.
      }
    }
  });
  return {
    acknowledged,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function storedRecords(url: string): Promise<Map<string, { seq: number; hash: string }>> {
  const response = await fetch(`${url}/v1/export`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await response.text();
  return new Map(
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; seq: number; hash: string })
      .map((r) => [r.id, { seq: r.seq, hash: r.hash }]),
  );
}

async function storedIds(url: string): Promise<Set<string>> {
  return new Set((await storedRecords(url)).keys());
}

/**
 * Waits for a signed checkpoint that covers every acknowledged record, then checks each one's
 * inclusion proof against it, as a partner holding the receipt would.
 */
async function expectCoveredByCheckpoint(
  store: { dataDir: string; databaseUrl?: string },
  records: Array<{ seq: number; hash: string }>,
): Promise<void> {
  const reader = await openReader(store);
  try {
    const last = Math.max(...records.map((r) => r.seq));
    await expect
      .poll(async () => (await reader.checkpoint())?.treeSize ?? 0, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(last);
    const jwks = { keys: await reader.publicKeys() };
    const { treeSize } = (await reader.checkpoint())!;
    for (const record of records) {
      const answer = await inclusionAnswer(reader, record.seq, treeSize);
      await verifyRecordInclusion(answer, jwks, { recordHash: record.hash });
    }
  } finally {
    await reader.close();
  }
}

async function verify(url: string) {
  return (await fetch(`${url}/v1/verify`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
}

type StoreFactory = () => Promise<{ dataDir: string; databaseUrl?: string }>;
const stores: Array<[string, StoreFactory, string | undefined]> = [
  ['SQLite', async () => ({ dataDir: mkdtempSync(join(tmpdir(), 'assent-crash-')) }), undefined],
  [
    'PostgreSQL',
    async () => ({
      dataDir: mkdtempSync(join(tmpdir(), 'assent-crash-')),
      databaseUrl: (await freshSchema()).url,
    }),
    postgresSkipReason,
  ],
];

for (const [name, makeStore, skip] of stores)
  describe.skipIf(skip !== undefined)(
    skip ? `endpoint on ${name} (skipped: ${skip})` : `endpoint on ${name}`,
    () => {
      it('keeps every acknowledged record when killed under load, again and again; the chain verifies and the next checkpoint proves each one', async () => {
        const store = await makeStore();
        const acknowledged = new Set<string>();
        // Three crashes in a row: each restart must recover the file and go on chaining.
        for (let crash = 0; crash < 3; crash++) {
          const server = await startServer(store);
          const traffic = load(server.url, 16);
          while (traffic.acknowledged.size < 300) await new Promise((r) => setTimeout(r, 10));
          server.process.kill('SIGKILL');
          await server.exited;
          await traffic.stop();
          for (const id of traffic.acknowledged) acknowledged.add(id);
        }

        const restarted = await startServer(store);
        try {
          const stored = await storedRecords(restarted.url);
          expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
          expect(await verify(restarted.url)).toMatchObject({ ok: true, records: stored.size });
          await expectCoveredByCheckpoint(
            store,
            [...acknowledged].map((id) => stored.get(id)!),
          );
        } finally {
          restarted.process.kill('SIGTERM');
          await restarted.exited;
        }
      }, 120_000);

      it('finishes the requests under way when asked to stop, then exits cleanly', async () => {
        const store = await makeStore();
        const server = await startServer(store);
        const traffic = load(server.url, 16);
        while (traffic.acknowledged.size < 200) await new Promise((r) => setTimeout(r, 20));
        server.process.kill('SIGTERM');
        expect(await server.exited).toBe(0);
        await traffic.stop();

        const restarted = await startServer(store);
        try {
          const stored = await storedIds(restarted.url);
          expect([...traffic.acknowledged].filter((id) => !stored.has(id))).toEqual([]);
          expect(await verify(restarted.url)).toMatchObject({ ok: true });
        } finally {
          restarted.process.kill('SIGTERM');
          await restarted.exited;
        }
      }, 60_000);
    },
  );
