import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestSource } from '../../../src/server/manifest-source.ts';
import { manifest } from '../../helpers/records.ts';

const quiet = { info: () => {}, warn: () => {} };

function manifestFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'assent-manifest-')), 'manifest.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('manifest source', () => {
  it('says how to fix a missing manifest', async () => {
    await expect(ManifestSource.open('/nonexistent/manifest.json', 0, quiet)).rejects.toThrow(
      /build the site first \(npm run build\)/,
    );
  });

  it('refuses a file that is not an Assent manifest', async () => {
    await expect(ManifestSource.open(manifestFile({ documents: [] }), 0, quiet)).rejects.toThrow(
      /not an Assent manifest of schema version 1/,
    );
  });

  it('picks up a new build of the site, and keeps the last good one when a build is broken', async () => {
    const file = manifestFile(manifest);
    const warnings: string[] = [];
    const source = await ManifestSource.open(file, 0, { info: () => {}, warn: (m) => warnings.push(m) });
    expect(source.current.version('weisure-service-agreement', '2019-01-01')).toBeUndefined();

    const next = structuredClone(manifest);
    const doc = next.documents.find((d) => d.slug === 'weisure-service-agreement')!;
    doc.versions.push({ ...doc.versions[0]!, version: '2019-01-01', effective: '2019-01-01' });
    writeFileSync(file, JSON.stringify(next));
    await source.refresh();
    expect(source.current.version('weisure-service-agreement', '2019-01-01')).toBeDefined();

    writeFileSync(file, '{ broken');
    await source.refresh();
    expect(source.current.version('weisure-service-agreement', '2019-01-01')).toBeDefined();
    expect(warnings[0]).toMatch(/kept the previous manifest: .*not valid JSON/);
    source.close();
  });
});
