/**
 * A client that sends its request too slowly (a slow-loris: a byte now and then, never idle
 * long enough for the socket timeout) is cut off once `requestTimeoutMs` has passed, with a
 * problem+json 408, and what it sent is not stored. Needs a real socket: inject has no clock,
 * and never reaches Node's HTTP parser.
 */
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../src/server/config.ts';
import { startEndpoint } from '../../src/server/serve.ts';
import { acceptance, manifestFile, PAGE_ORIGIN } from '../helpers/records.ts';

describe('requests Node refuses before Fastify sees them', () => {
  it('answers a request still arriving after requestTimeoutMs with 408 request-timeout and stores nothing', async () => {
    const config = loadServerConfig({
      env: {},
      flags: {
        dataDir: mkdtempSync(join(tmpdir(), 'assent-timeout-')),
        port: 0,
        manifest: manifestFile,
        allowedOrigins: [PAGE_ORIGIN],
        rateLimitPerMinute: 0,
        requestTimeoutMs: 1_000,
      },
    });
    const endpoint = await startEndpoint(config);
    const body = JSON.stringify(acceptance());
    const socket = connect(Number(new URL(endpoint.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(
      `POST /v1/records HTTP/1.1\r\nHost: x\r\nOrigin: ${PAGE_ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    // One byte every 200 ms: never idle for long, never finished.
    let sent = 0;
    const drip = setInterval(() => socket.writable && socket.write(body[sent++]!), 200);
    const started = performance.now();
    try {
      await closed;
      const waited = performance.now() - started;
      // Node checks request deadlines at an interval (30 s unless told otherwise).
      expect(waited).toBeLessThan(5_000);
      const [head, payload] = received.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 408 /);
      expect(head).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(payload!)).toMatchObject({ status: 408, code: 'request-timeout' });
      expect(await endpoint.store.count()).toBe(0);
    } finally {
      clearInterval(drip);
      socket.destroy();
      await endpoint.close();
    }
  }, 60_000);

  it('answers bytes that are not HTTP with 400 malformed-request as problem+json, and closes', async () => {
    const config = loadServerConfig({
      env: {},
      flags: {
        dataDir: mkdtempSync(join(tmpdir(), 'assent-timeout-')),
        port: 0,
        manifest: manifestFile,
        rateLimitPerMinute: 0,
      },
    });
    const endpoint = await startEndpoint(config);
    const socket = connect(Number(new URL(endpoint.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    try {
      socket.write('HELLO / HTTP/1.1\r\nHost: x\r\n\r\n');
      await closed;
      const [head, payload] = received.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request/);
      expect(head).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(payload!)).toMatchObject({ status: 400, code: 'malformed-request' });
    } finally {
      socket.destroy();
      await endpoint.close();
    }
  });
});
