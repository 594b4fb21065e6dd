import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEndpoint, type TestEndpoint } from '../../helpers/endpoint.ts';

let endpoint: TestEndpoint;
beforeEach(async () => {
  endpoint = await testEndpoint();
});
afterEach(() => endpoint.close());

describe('health routes', () => {
  it('answer /readyz with the store and manifest when the store takes records', async () => {
    const response = await endpoint.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      store: 'sqlite',
      manifestGenerated: expect.any(String),
    });
  });

  it('answer /readyz 503 not-ready naming what is not ready, and log why, once the store has stopped', async () => {
    await endpoint.close();
    const log: Array<{ msg: string; err?: { message: string } }> = [];
    const stream = { write: (line: string) => log.push(JSON.parse(line)) };
    endpoint = await testEndpoint({}, { logger: { level: 'warn', stream } });
    await endpoint.store.close();
    const response = await endpoint.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('5');
    // The store's own error (a path, a host name, a driver's message) is for the log only.
    expect(response.json()).toMatchObject({
      code: 'not-ready',
      detail: 'the sqlite record store is not ready',
    });
    expect(log).toContainEqual(
      expect.objectContaining({
        msg: 'the sqlite record store is not ready',
        err: expect.objectContaining({ message: expect.stringMatching(/SQLite writer stopped/) }),
      }),
    );
    expect((await endpoint.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('never rate-limit /readyz', async () => {
    await endpoint.close();
    endpoint = await testEndpoint({ rateLimitPerMinute: 2 });
    for (let i = 0; i < 5; i++) {
      expect((await endpoint.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    }
  });
});
