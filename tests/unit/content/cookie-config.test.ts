import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCookieConfig } from '../../../src/content/cookie-config.ts';
import { contentFolder } from '../../helpers/content.ts';
import { contentRoot } from '../../helpers/paths.ts';

const real = JSON.parse(readFileSync(join(contentRoot, 'cookies.json'), 'utf8'));

async function read(config: unknown): Promise<unknown> {
  const root = contentFolder({});
  writeFileSync(join(root, 'cookies.json'), JSON.stringify(config));
  return readCookieConfig(root);
}

describe('cookie configuration', () => {
  it('reads content/cookies.json', async () => {
    const config = await readCookieConfig(contentRoot);
    expect(config?.categories.map((c) => c.id)).toEqual(['necessary', 'functional', 'analytics', 'marketing']);
  });

  it('is optional', async () => {
    expect(await readCookieConfig(contentFolder({}))).toBeUndefined();
  });

  it('names the field of a mistake and what was expected', async () => {
    const wrongMode = structuredClone(real);
    wrongMode.categories[2].mode = 'optional';
    await expect(read(wrongMode)).rejects.toThrow(
      /cookies\.json:1:\d+: field `categories\.2\.mode`: received "optional", expected one of necessary, opt-in, opt-out/,
    );
  });

  it('refuses a consent-mode signal that names an unknown category, and duplicate ids', async () => {
    const unknown = { ...real, googleConsentMode: { ad_storage: ['advertising'] } };
    await expect(read(unknown)).rejects.toThrow('field `googleConsentMode.ad_storage`: names category "advertising"');
    const twice = { ...real, categories: [...real.categories, real.categories[1]] };
    await expect(read(twice)).rejects.toThrow('category id "functional" is used twice');
  });
});
