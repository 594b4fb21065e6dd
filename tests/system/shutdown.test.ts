/**
 * A real endpoint asked to stop while a request is under way: that request finishes and is
 * stored; a request that arrives after on the same connection is refused as problem+json with
 * the `shutting-down` code (not Fastify's own 503 body), so clients handle it like any refusal.
 */
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../src/server/config.ts';
import { startEndpoint } from '../../src/server/serve.ts';
import { acceptance, manifestFile, PAGE_ORIGIN } from '../helpers/records.ts';

describe('shutdown', () => {
  it('finishes the request under way and refuses a pipelined one as problem+json shutting-down', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-shutdown-'));
    const config = loadServerConfig({
      env: {},
      flags: {
        dataDir,
        port: 0,
        manifest: manifestFile,
        allowedOrigins: [PAGE_ORIGIN],
        rateLimitPerMinute: 0,
      },
    });
    const endpoint = await startEndpoint(config);
    const { port } = new URL(endpoint.url);
    const body = JSON.stringify(acceptance());
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    // Headers and half the body: the request is under way when the endpoint is asked to stop.
    socket.write(
      `POST /v1/records HTTP/1.1\r\nHost: x\r\nOrigin: ${PAGE_ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 40)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closed = endpoint.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write(`${body.slice(40)}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    await expect.poll(() => received.split('HTTP/1.1 ').length, { timeout: 5_000 }).toBe(3);
    socket.destroy();
    await closed;

    const responses = received.split(/(?=HTTP\/1\.1 )/);
    expect(responses[0]).toMatch(/^HTTP\/1\.1 201/);
    expect(responses[1]).toMatch(/^HTTP\/1\.1 503/);
    expect(responses[1]).toMatch(/content-type: application\/problem\+json/i);
    expect(responses[1]).toMatch(/retry-after: 5/i);
    expect(responses[1]).toContain('"code":"shutting-down"');
  });
});
