/**
 * `assent keys` end to end: a key made on the command line works against the endpoint on the
 * same data folder, and stops working once revoked, without a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assent } from '../../helpers/cli.ts';
import { testEndpoint } from '../../helpers/endpoint.ts';

describe('assent keys', () => {
  it(
    'creates a key shown once, lists it, and revokes it while the endpoint runs',
    { timeout: 60_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'assent-keys-'));
      const created = assent([
        'keys',
        'create',
        '--name',
        'shop backend',
        '--document',
        'weisure-service-agreement',
        '--origin',
        'https://shop.example',
        '--data',
        dataDir,
      ]);
      expect(created.code).toBe(0);
      const secret = /^(assent_pk_\S+)$/m.exec(created.stdout)![1]!;
      const id = /partner key ([0-9a-f]+) for "shop backend"/.exec(created.stdout)![1]!;

      const listed = assent(['keys', 'list', '--json', '--data', dataDir]);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([
        expect.objectContaining({
          id,
          name: 'shop backend',
          origins: ['https://shop.example'],
          documents: ['weisure-service-agreement'],
          revokedAt: null,
        }),
      ]);
      expect(listed.stdout).not.toContain(secret);

      const endpoint = await testEndpoint({ dataDir });
      try {
        const ask = () =>
          endpoint.app.inject({
            method: 'GET',
            url: '/v1/standing?subject=user-42&document=weisure-service-agreement',
            headers: { authorization: `Bearer ${secret}` },
          });
        expect((await ask()).statusCode).toBe(200);
        const revoked = assent(['keys', 'revoke', id, '--data', dataDir]);
        expect(revoked.code).toBe(0);
        expect((await ask()).json()).toMatchObject({ status: 401, code: 'partner-key-refused' });
        expect(assent(['keys', 'revoke', id, '--data', dataDir]).code).toBe(1);
        expect(assent(['keys', 'list', '--data', dataDir]).stdout).toMatch(
          new RegExp(`${id}  shop backend  revoked`),
        );
      } finally {
        await endpoint.close();
      }
    },
  );

  it('refuses a key without a name or document, or with an origin that is not one, and stores nothing', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'assent-keys-'));
    const cases: Array<[string[], RegExp]> = [
      [['--document', 'terms'], /--name NAME is required/],
      [['--name', 'x'], /at least one --document/],
      [['--name', 'x', '--document', 'Terms Of Use'], /not a document slug/],
      [
        ['--name', 'x', '--document', 'terms', '--origin', 'https://shop.example/signup'],
        /not an origin.*https:\/\/shop\.example/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = assent(['keys', 'create', ...args, '--data', dataDir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(assent(['keys', 'list', '--data', dataDir]).stdout).toContain('no partner keys');
  });
});
