/**
 * One wording for every JSON configuration file (src/config-file/errors.ts): content/site.json,
 * content/cookies.json and the endpoint's --config file each say which file, the line and
 * column of the key at fault, the field, what was received and what was expected.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issuePosition } from '../../../src/config-file/errors.ts';
import { readCookieConfig } from '../../../src/content/cookie-config.ts';
import { readSiteConfig } from '../../../src/content/site-config.ts';
import { loadServerConfig } from '../../../src/server/config.ts';
import { contentFolder } from '../../helpers/content.ts';
import { contentRoot } from '../../helpers/paths.ts';

const siteJson = (text: string) => contentFolder({ 'site.json': text });

describe('content/site.json', () => {
  it('names the file, line and column of a value of the wrong type', async () => {
    const root = siteJson('{\n  "title": { "en": "Legal" },\n  "locale": 42\n}\n');
    await expect(readSiteConfig(root)).rejects.toThrow(
      `${join(root, 'site.json')}:3:3: field \`locale\`: received 42, expected text`,
    );
  });

  it('names a missing field at the object it belongs in', async () => {
    const root = siteJson('{\n  "title": { "en": "Legal" }\n}\n');
    await expect(readSiteConfig(root)).rejects.toThrow(
      `${join(root, 'site.json')}:1:1: field \`locale\` is missing: expected text`,
    );
  });

  it('names an unknown field where it is, and the fields it may have', async () => {
    const root = siteJson('{\n  "title": { "en": "Legal" },\n  "locale": "en",\n  "lang": "en"\n}\n');
    await expect(readSiteConfig(root)).rejects.toThrow(
      `${join(root, 'site.json')}:4:3: unknown field \`lang\`: expected only title, locale`,
    );
  });
});

describe('content/cookies.json', () => {
  const cookies = readFileSync(join(contentRoot, 'cookies.json'), 'utf8');
  /** The real file with one line changed, and the line number of that change. */
  const edited = (find: RegExp, replace: string) => {
    const lines = cookies.split('\n');
    const index = lines.findIndex((line) => find.test(line));
    lines[index] = lines[index]!.replace(find, replace);
    return { root: contentFolder({ 'cookies.json': lines.join('\n') }), line: index + 1 };
  };

  it('points at a wrong value deep inside the categories', async () => {
    const { root, line } = edited(/"mode": "opt-in"/, '"mode": "always"');
    await expect(readCookieConfig(root)).rejects.toThrow(
      new RegExp(
        `cookies\\.json:${line}:\\d+: field \`categories\\.1\\.mode\`: received "always", expected one of necessary, opt-in, opt-out`,
      ),
    );
  });

  it('points at an unknown field inside a cookie, listing the ones a cookie has', async () => {
    const { root, line } = edited(/"service": "Assent",/, '"servce": "Assent",');
    await expect(readCookieConfig(root)).rejects.toThrow(
      new RegExp(
        `cookies\\.json:${line}:11: unknown field \`categories\\.0\\.cookies\\.0\\.servce\`: expected only name, service, purpose, duration`,
      ),
    );
  });
});

describe('the endpoint’s config file', () => {
  const configFile = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'assent-config-')), 'assent.json');
    writeFileSync(file, text);
    return file;
  };

  it('gives the file, line and column of a setting of the wrong type', () => {
    const file = configFile('{\n  "dataDir": "/srv/assent",\n  "keepIp": "yes"\n}\n');
    expect(() => loadServerConfig({ file, env: {} })).toThrow(
      `${file}:3:3: setting \`keepIp\`: received "yes", expected true or false`,
    );
  });

  it('gives the line of a misspelt setting and lists the settings there are', () => {
    const file = configFile('{\n  "dataDir": "/srv/assent",\n  "alowedOrigins": []\n}\n');
    expect(() => loadServerConfig({ file, env: {} })).toThrow(
      new RegExp(
        `^${file}:3:3: unknown setting \`alowedOrigins\`: expected only host, port, dataDir, .*allowedOrigins`,
      ),
    );
  });

  it('never shows a secret it refuses, even from the file', () => {
    const file = configFile('{ "hmacSecret": "not-hex-secret" }');
    expect(() => loadServerConfig({ file, env: {} })).toThrow(
      `${file}:1:3: setting \`hmacSecret\`: expected`,
    );
    expect(() => loadServerConfig({ file, env: {} })).toThrow(/^(?!.*not-hex-secret)/s);
  });
});

describe('positions in JSON text', () => {
  it('finds every key of any JSON object, however it is laid out', () => {
    const key = fc.string({ maxLength: 6 });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null)),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(key, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    const object = fc.dictionary(key, json, { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(object, fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const lines = text.split('\n');
        // Every path to an object member: the position must be that member's name.
        const walk = (node: unknown, path: Array<string | number>): void => {
          if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
          else if (node && typeof node === 'object')
            for (const [name, item] of Object.entries(node)) {
              const { line, column } = issuePosition(text, {
                code: 'unrecognized_keys',
                keys: [name],
                path,
                message: '',
                input: node as Record<string, unknown>,
              });
              expect(lines[line - 1]!.slice(column - 1)).toMatch(
                new RegExp(`^${escape(JSON.stringify(name))}`),
              );
              walk(item, [...path, name]);
            }
        };
        walk(value, []);
      }),
    );
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
