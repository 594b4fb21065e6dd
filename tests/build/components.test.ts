/**
 * The published components as src/site/integrations/build-components.ts writes them: the
 * split (one shared chunk with Lit, on-demand chunks), the minified templates, the Custom
 * Elements Manifest and the TypeScript declarations.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildComponents,
  bundle,
  componentsDir,
  INTERNAL_PROPERTY_NAMES,
  minifyCss,
  type BuiltFile,
} from '../../src/site/integrations/build-components.ts';

let outDir: string;
let files: string[];
let built: BuiltFile[];
const read = (file: string) => readFileSync(join(outDir, file), 'utf8');

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'assent-components-'));
  files = await buildComponents(outDir);
  built = (await bundle(outDir)).filter((f) => f.file.endsWith('.js'));
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the component bundle', () => {
  it('puts Lit in one shared chunk that the entry and every element module import', () => {
    // lit-html records its version on globalThis once per copy.
    const withLit = built.filter((f) => read(f.file).includes('litHtmlVersions'));
    expect(withLit).toHaveLength(1);
    const shared = withLit[0]!.file;
    expect(shared).toMatch(/^chunk-\w+\.js$/);
    for (const entry of ['assent.js', 'assent-accept.js', 'assent-cookies.js', 'assent-update.js'])
      expect(built.find((f) => f.file === entry)!.imports, entry).toContain(shared);
  });

  it('loads the elements from assent.js, and the dialog, the gate and the outbox, only on demand', () => {
    const dynamic = (file: string) => built.find((f) => f.file === file)!.dynamicImports;
    expect(dynamic('assent.js').sort()).toEqual([
      'assent-accept.js',
      'assent-cookies.js',
      'assent-update.js',
    ]);
    expect(
      dynamic('assent-cookies.js')
        .map((f) => f.split('-')[0])
        .sort(),
    ).toEqual(['gate', 'preferences']);
    const onDemand = built.flatMap((f) => f.dynamicImports);
    const eager = built.flatMap((f) => f.imports);
    for (const lazy of built.filter((f) => /^(gate|preferences|outbox)-/.test(f.file)))
      expect([onDemand.includes(lazy.file), eager.includes(lazy.file)], lazy.file).toEqual([true, false]);
  });

  it("keeps what the banner does not show off its path: accept's and update's code, the dialog's and the status' strings", () => {
    const byName = new Map(built.map((f) => [f.file, f]));
    const closure = (file: string, into = new Set<string>()): Set<string> => {
      if (!into.has(file)) {
        into.add(file);
        for (const imported of byName.get(file)!.imports) closure(imported, into);
      }
      return into;
    };
    const banner = [...closure('assent-cookies.js', closure('assent.js'))].map(read).join('\n');
    expect(banner).toContain('Reject all');
    expect(banner).toContain('全部拒绝');
    for (const elsewhere of [
      'Accept and continue', // documents/ (accept, update)
      'the manifest has no document', // documents.ts
      'Save choices', // dialog/
      'Load once', // placeholder/
      'Saving…', // status/
      'input:enabled', // the focus trap (controls.ts)
      'role=switch', // the dialog's CSS
    ])
      expect(banner, elsewhere).not.toContain(elsewhere);
    const all = built.map((f) => read(f.file)).join('\n');
    for (const shipped of [
      'Accept and continue',
      'Save choices',
      'Load once',
      'Saving…',
      'input:enabled',
      'role=switch',
    ])
      expect(all, shipped).toContain(shipped);
  });

  it('minifies the text of html and css templates and keeps the Lit bindings', () => {
    const preferences = read(built.find((f) => f.file.startsWith('preferences-'))!.file);
    expect(preferences).toContain('.checked=${');
    expect(preferences).toContain('@change=${');
    expect(preferences).toContain('<h2 id="title">');
    for (const f of built) expect(read(f.file), f.file).not.toMatch(/`[^`]*\n\s{4,}[^`]*`/);
  });
});

describe('the css template minifier', () => {
  it('ships the z-index fallback as written, not rounded to six digits', () => {
    const all = built.map((f) => read(f.file)).join('\n');
    expect(all).toContain('z-index:var(--assent-z-index,2147483000)');
  });

  it('keeps every digit of long numbers in custom properties and var() fallbacks, and still minifies', () => {
    expect(minifyCss(':host {\n  z-index: var(--z, 2147483000);\n  --wide: 1234567.5px;\n}')).toBe(
      ':host{z-index:var(--z,2147483000);--wide:1234567.5px}',
    );
    expect(minifyCss('a { margin: 0.50em 0px; color: #ffffff; z-index: 2147483000 }')).toBe(
      'a{color:#fff;z-index:2147483000;margin:.5em 0}',
    );
  });
});

describe('the property names esbuild shortens', () => {
  it('are each declared in the bundled sources and never named in a string', () => {
    const sources = [componentsDir, join(componentsDir, '../src/contract')]
      .flatMap((dir) =>
        readdirSync(dir, { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.ts'))
          .map((f) => readFileSync(join(dir, f), 'utf8')),
      )
      .join('\n');
    for (const name of INTERNAL_PROPERTY_NAMES) {
      // A class member, an object key or a declared field: `name(`, `name:`, `name =`, `name?:`.
      expect(sources, name).toMatch(new RegExp(`(^|[\\s{,#])${name}[?!]?\\s*[(:=<]`, 'm'));
      // `changed.has('name')`, `'name' in x`, `x['name']` would miss the shortened name.
      expect(sources, name).not.toMatch(
        new RegExp(`(\\b(has|get|delete)\\(|\\[)\\s*['"\`]${name}['"\`]|['"\`]${name}['"\`]\\s+in\\b`),
      );
    }
  });
});

describe('custom-elements.json', () => {
  it('names each element by its tag, in the module that defines it, with its public attributes and events', () => {
    const manifest = JSON.parse(read('custom-elements.json'));
    const elements = manifest.modules.flatMap((m: any) =>
      (m.declarations ?? []).filter((d: any) => d.tagName).map((d: any) => ({ module: m, d })),
    );
    expect(elements.map((e: any) => [e.module.path, e.d.tagName]).sort()).toEqual([
      ['assent-accept.js', 'assent-accept'],
      ['assent-cookies.js', 'assent-cookies'],
      ['assent-update.js', 'assent-update'],
    ]);
    const cookies = elements.find((e: any) => e.d.tagName === 'assent-cookies');
    expect(cookies.module.exports).toContainEqual({
      kind: 'custom-element-definition',
      name: 'assent-cookies',
      declaration: { name: 'AssentCookies', module: 'assent-cookies.js' },
    });
    const attributes = cookies.d.attributes.map((a: any) => a.name);
    expect(attributes).toEqual(
      expect.arrayContaining(['open', 'refusal-days', 'cookie-domain', 'cookie-days']),
    );
    // Internal state is no part of the API.
    expect(attributes).not.toContain('draft');
    expect(cookies.d.members.map((m: any) => m.name)).not.toContain('banner');
    expect(cookies.d.members.map((m: any) => m.name)).toEqual(
      expect.arrayContaining(['show', 'hide', 'consent']),
    );
    expect(cookies.d.events.map((e: any) => e.name).sort()).toEqual([
      'assent-consent-changed',
      'assent-error',
      'assent-recorded',
    ]);
    expect(cookies.d.cssParts.map((p: any) => p.name)).toContain('placeholder');
  });
});

describe('the TypeScript declarations', () => {
  it('has one .d.ts per published module, importing .js files, with the tags in HTMLElementTagNameMap', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'assent.d.ts',
        'assent-accept.d.ts',
        'assent-cookies.d.ts',
        'assent-update.d.ts',
      ]),
    );
    expect(read('assent-cookies.d.ts')).toBe("export * from './types/components/cookies/define.js';\n");
    const cookies = read('types/components/cookies/cookies.d.ts');
    expect(cookies).toContain("'assent-cookies': AssentCookies;");
    expect(cookies).not.toMatch(/from '\.{1,2}\/[^']*\.ts'/);
    expect(read('types/components/assent.d.ts')).toContain('consent');
  });
});
