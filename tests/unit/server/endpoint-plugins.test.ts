/**
 * The endpoint's manifest and store are Fastify plugins: they decorate the instance, and what
 * they open is closed with the app, also when the start fails half-way.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../../src/server/config.ts';
import { createHttpServer } from '../../../src/server/http-server.ts';
import { manifest, manifestFile } from '../../helpers/records.ts';

const configFor = (dataDir: string, manifestPath = manifestFile) =>
  loadServerConfig({ env: {}, flags: { dataDir, manifest: manifestPath, rateLimitPerMinute: 0 } });

describe('endpoint plugins', () => {
  it('decorate the instance with the configuration, the manifest and the store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-plugins-'));
    const config = configFor(dataDir);
    const app = await createHttpServer(config);
    try {
      expect(app.config).toBe(config);
      expect(app.manifest.current.manifest.generated).toBe(manifest.generated);
      expect(app.store.kind).toBe('sqlite');
      await expect(app.store.ready()).resolves.toBeUndefined();
      expect(app.subjectKeys.current).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('close the store with the app, releasing the data folder for the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-plugins-'));
    const first = await createHttpServer(configFor(dataDir));
    const store = first.store;
    await first.close();
    await expect(store.ready()).rejects.toThrow();
    const second = await createHttpServer(configFor(dataDir));
    await second.close();
  });

  it('open no store and write nothing into the data folder when the manifest is missing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-plugins-'));
    await expect(createHttpServer(configFor(dataDir, join(dataDir, 'missing.json')))).rejects.toThrow(
      /there is no manifest at .*missing\.json/,
    );
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
