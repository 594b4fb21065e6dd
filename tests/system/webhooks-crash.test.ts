/**
 * Webhooks when the endpoint dies mid-delivery: a real endpoint process delivering to a real
 * (slow) receiver on 127.0.0.1 is killed without warning (SIGKILL), then started again on the
 * same data. Every record must reach the receiver (at least once), each subject's records in
 * the order they were stored, each delivery signed with the webhook's secret.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredRecord } from '../../src/contract/record.ts';
import { verifySignature } from '../../src/server/webhooks/signature.ts';
import { startEndpointProcess, type EndpointProcess } from '../helpers/endpoint-process.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { acceptance, PAGE_ORIGIN } from '../helpers/records.ts';

const TOKEN = 'webhook-crash-operator-token';

function startServer(dataDir: string): Promise<EndpointProcess> {
  return startEndpointProcess({ dataDir, operatorToken: TOKEN, env: { ASSENT_WEBHOOK_INTERVAL_MS: '50' } });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
});

describe('webhooks across a crash', () => {
  it('deliver every record after a SIGKILL mid-delivery, in order per subject, signed', async () => {
    receiver = await startReceiver();
    receiver.delayMs = 15;
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-webhook-crash-'));
    let server = await startServer(dataDir);
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const registered = await fetch(`${server.url}/v1/webhooks`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ partner: 'Shop', url: receiver.url }),
    });
    expect(registered.status).toBe(201);
    const { secret } = (await registered.json()) as { secret: string };

    // 200 records of 10 subjects, interleaved.
    for (let batch = 0; batch < 4; batch++) {
      const records = Array.from({ length: 50 }, (_, i) =>
        acceptance({ subject: { kind: 'user', id: `subject-${i % 10}` } }),
      );
      const response = await fetch(`${server.url}/v1/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
        body: JSON.stringify(records),
      });
      expect(response.status).toBe(201);
    }
    await until(() => receiver!.deliveries.length >= 40, 20_000);
    server.process.kill('SIGKILL');
    await server.exited;
    const beforeRestart = receiver.deliveries.length;
    expect(beforeRestart).toBeLessThan(200);

    server = await startServer(dataDir);
    try {
      await until(
        () => new Set(receiver!.deliveries.map((d) => JSON.parse(d.body).seq)).size === 200,
        60_000,
      );
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }

    const records = receiver.deliveries.map((d) => JSON.parse(d.body) as StoredRecord);
    for (const delivery of receiver.deliveries)
      expect(verifySignature(secret, delivery.body, String(delivery.headers['assent-signature']))).toBe(true);
    // At least once: at most the record under way when the process died came twice.
    expect(records.length - 200).toBeLessThanOrEqual(1);
    // In order: each delivery is the next record, or the one sent again after the restart.
    for (let i = 1; i < records.length; i++)
      expect(records[i]!.seq).toBeGreaterThanOrEqual(records[i - 1]!.seq);
    const bySubject = new Map<string, number[]>();
    for (const r of records) bySubject.set(r.subject.hash, [...(bySubject.get(r.subject.hash) ?? []), r.seq]);
    expect(bySubject.size).toBe(10);
    for (const seqs of bySubject.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
