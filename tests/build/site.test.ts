/**
 * Builds the real site with `astro build` and checks what readers and the components get:
 * the pages, their anchors and digest, the banners, the diff and the manifest.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/contract/manifest.ts';
import { readVersionFile } from '../../src/content/document-file.ts';
import { buildSite, page, type BuildResult } from '../helpers/build.ts';
import { contentFiles, contentRoot } from '../helpers/paths.ts';

const agreement = '/weisure-service-agreement';
const privacy = '/besttrav-privacy-policy';

describe('site built on 2021-05-20 (a privacy policy revision announced, not yet effective)', () => {
  let build: BuildResult;
  let manifest: Manifest;
  beforeAll(async () => {
    build = await buildSite({ buildDate: '2021-05-20' });
    manifest = JSON.parse(readFileSync(join(build.outDir, 'assent/manifest.json'), 'utf8'));
  });

  it('builds every page, with no warning left for quirks the content acknowledges', () => {
    expect(build.code, build.output).toBe(0);
    for (const path of [
      '/',
      `${agreement}/`,
      `${agreement}/2018-06-01/`,
      `${agreement}/versions/`,
      `${privacy}/`,
      `${privacy}/2020-12-01/`,
      `${privacy}/2021-06-01/`,
      `${privacy}/versions/`,
      `${privacy}/changes/2020-12-01...2021-06-01/`,
    ]) {
      expect(existsSync(join(build.outDir, path, 'index.html')), path).toBe(true);
    }
    // The agreement's (1)→(3) jump and mixed brackets are in the published original; its file
    // says so in lint-control comments.
    expect(build.output).not.toMatch(/warning:/);
  });

  it('ships no JavaScript: pages are plain HTML and CSS', () => {
    // console/ is the operator console, a script the endpoint serves at /console/, not a page.
    const html = readdirSync(build.outDir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.html') && !f.startsWith('console/'),
    );
    expect(html.length).toBe(9);
    for (const file of html) expect(readFileSync(join(build.outDir, file), 'utf8')).not.toMatch(/<script/i);
  });

  it('shows the version in effect, with a banner for the announced one', () => {
    const doc = page(build.outDir, `${privacy}/`);
    expect(doc.querySelector('.legal-meta a')?.textContent).toBe('2020-12-01');
    const banner = doc.querySelector('.banner-upcoming')!;
    expect(banner.textContent).toContain('新版本将于 2021年6月1日 生效');
    const links = [...banner.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual([`${privacy}/2021-06-01/`, `${privacy}/changes/2020-12-01...2021-06-01/`]);
    expect(doc.querySelector('link[rel=canonical]')?.getAttribute('href')).toMatch(
      /\/besttrav-privacy-policy\/2020-12-01\/$/,
    );
  });

  it('marks the announced version as not yet in effect', () => {
    const doc = page(build.outDir, `${privacy}/2021-06-01/`);
    expect(doc.querySelector('.banner')?.textContent).toContain(
      '此版本将于 2021年6月1日 生效。在此之前，2020-12-01 版本继续有效。',
    );
  });

  it('gives each page its language, a skip link to the main landmark, and landmarks', () => {
    const doc = page(build.outDir, `${agreement}/`);
    expect(doc.documentElement.getAttribute('lang')).toBe('zh-CN');
    expect(doc.querySelector('a.skip-link')?.getAttribute('href')).toBe('#main');
    expect(doc.querySelector('main#main')).not.toBeNull();
    expect(doc.querySelectorAll('body > header, body > footer, nav.toc').length).toBe(3);
  });

  it('links every clause, table-of-contents entry and key clause to an anchor on the page', () => {
    for (const path of [`${agreement}/2018-06-01/`, `${privacy}/2021-06-01/`]) {
      const doc = page(build.outDir, path);
      const ids = new Set([...doc.querySelectorAll('[id]')].map((e) => e.id));
      const targets = [...doc.querySelectorAll('.clause-link, .toc a, .key-clauses a')].map((a) =>
        decodeURIComponent(a.getAttribute('href')!.slice(1)),
      );
      expect(targets.length).toBeGreaterThan(40);
      for (const target of targets) expect(ids.has(target), `${path}#${target}`).toBe(true);
    }
    const doc = page(build.outDir, `${agreement}/2018-06-01/`);
    expect(doc.querySelector('[id="c3.1.2"]')?.textContent).toContain('3.1.2 当你使用微保服务时');
  });

  it('lists every bold passage in the key-clause digest, in order, with its clause number', () => {
    const doc = page(build.outDir, `${agreement}/2018-06-01/`);
    const bold = [...doc.querySelectorAll('.legal-body strong')].map((s) => s.textContent);
    const digest = [...doc.querySelectorAll('.key-clauses li .key-text')].map((a) => a.textContent);
    expect(digest).toEqual(bold);
    expect(digest).toHaveLength(7);
    const first = doc.querySelector('.key-clauses a')!;
    expect(first.getAttribute('href')).toBe('#c3.4-1');
    expect(first.querySelector('.clause-number')?.textContent).toBe('(1)');
  });

  it('shows the first key clauses and folds the rest, so the text starts on the first screen', () => {
    const digest = page(build.outDir, `${agreement}/2018-06-01/`).querySelector('.key-clauses')!;
    expect(digest.querySelectorAll(':scope > ul > li')).toHaveLength(3);
    expect(digest.querySelectorAll('details li')).toHaveLength(4);
    expect(digest.querySelector('details')?.hasAttribute('open')).toBe(false);
  });

  it('shows what changed, clause by clause, with words marked inside the clause', () => {
    const doc = page(build.outDir, `${privacy}/changes/2020-12-01...2021-06-01/`);
    expect(doc.querySelector('.change-stats')?.textContent).toBe('修改 3 处，新增 1 处，删除 0 处');
    const changed = [...doc.querySelectorAll('.change-changed')].find((c) =>
      c.textContent?.includes('保存期限'),
    )!;
    expect(changed.querySelector('del')?.textContent).toBe('删除：尽快');
    expect(changed.querySelector('ins')?.textContent).toBe('插入：在 15 个工作日内');
    expect(changed.querySelector('.change-head a')?.getAttribute('href')).toBe(
      `${privacy}/2021-06-01/#s5-c1`,
    );
    expect(doc.querySelector('.change-added')?.textContent).toContain('72 小时内告知受影响的用户');
    expect(doc.querySelector('.emphasis-note strong')?.textContent).toBe(
      '我们会通过软件弹窗方式及时提示您隐私政策更新的情况',
    );
  });

  it('lists the version history with dates, acceptance and status', () => {
    const doc = page(build.outDir, `${privacy}/versions/`);
    const items = [...doc.querySelectorAll('.version-list > li')];
    expect(items.map((li) => li.querySelector('h2 a')?.textContent)).toEqual(['2021-06-01', '2020-12-01']);
    expect(items.map((li) => li.querySelector('.status')?.textContent)).toEqual(['即将生效', '现行有效']);
    expect(items[0]!.textContent).toContain('变更告知');
    expect(items[0]!.querySelector('.summary')?.textContent).toContain('示例修订');
  });

  it('publishes a manifest whose hashes match the Markdown and whose links resolve', async () => {
    expect(manifest.schemaVersion).toBe(1);
    expect(manifest.documents.map((d) => d.slug)).toEqual([
      'besttrav-privacy-policy',
      'weisure-service-agreement',
    ]);
    const policy = manifest.documents[0]!;
    expect(policy).toMatchObject({
      kind: 'privacy',
      locale: 'zh-CN',
      url: `${privacy}/`,
      versionsUrl: `${privacy}/versions/`,
    });
    expect(policy.versions.map((v) => [v.version, v.acceptance, v.changesUrl])).toEqual([
      ['2020-12-01', 'notice', null],
      ['2021-06-01', 'notice', `${privacy}/changes/2020-12-01...2021-06-01/`],
    ]);
    const files = { '2020-12-01': contentFiles.privacy, '2021-06-01': contentFiles.privacySample };
    for (const v of policy.versions) {
      const read = await readVersionFile(files[v.version as keyof typeof files]);
      expect(read.ok && read.version.contentHash).toBe(v.contentHash);
      const doc = page(build.outDir, v.url);
      for (const clause of v.keyClauses)
        expect(doc.getElementById(clause.anchor), clause.anchor).not.toBeNull();
    }
    const terms = manifest.documents[1]!.versions[0]!;
    expect(terms).toMatchObject({
      version: '2018-06-01',
      published: '2018-05-29',
      effective: '2018-06-01',
      acceptance: 'required',
    });
    expect(terms.keyClauses[0]).toEqual({ anchor: 'c3.4-1', clause: '(1)', text: '向你提供产品或服务；' });
  });

  it('publishes the cookie configuration, linking the policy that explains it', () => {
    expect(manifest.cookies?.revision).toBe('2021-06-01');
    expect(manifest.cookies?.policy).toEqual({ slug: 'besttrav-privacy-policy', url: `${privacy}/` });
    expect(manifest.cookies?.categories.map((c) => [c.id, c.mode])).toEqual([
      ['necessary', 'necessary'],
      ['functional', 'opt-in'],
      ['analytics', 'opt-in'],
      ['marketing', 'opt-in'],
    ]);
    expect(manifest.cookies?.googleConsentMode.analytics_storage).toEqual(['analytics']);
  });

  it('styles pages for print on A4 without navigation, keeping clauses together', () => {
    const doc = page(build.outDir, `${agreement}/`);
    const css = [...doc.querySelectorAll('link[rel=stylesheet]')]
      .map((l) => readFileSync(join(build.outDir, l.getAttribute('href')!), 'utf8'))
      .join('');
    expect(css).toMatch(/@page\{size:A4/);
    expect(css).toMatch(/@media print\{.*\.toc.*display:none/);
    expect(css).toMatch(/\.clause[^{]*\{break-inside:avoid/);
  });
});

describe('site built before a version is published', () => {
  it('leaves the unpublished version out of the pages and the manifest (content outside the project)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'assent-content-'));
    cpSync(contentRoot, root, { recursive: true });
    const build = await buildSite({ buildDate: '2021-05-01', contentDir: root });
    expect(build.code, build.output).toBe(0);
    expect(existsSync(join(build.outDir, privacy, '2021-06-01'))).toBe(false);
    const manifest: Manifest = JSON.parse(readFileSync(join(build.outDir, 'assent/manifest.json'), 'utf8'));
    expect(manifest.documents[0]!.versions.map((v) => v.version)).toEqual(['2020-12-01']);
    expect(page(build.outDir, `${privacy}/`).querySelector('.banner')).toBeNull();
  });
});

describe('site with broken content', () => {
  it('fails the build, naming the file, line, field and what was expected', async () => {
    const root = mkdtempSync(join(tmpdir(), 'assent-content-'));
    cpSync(contentRoot, root, { recursive: true });
    const broken = join(root, 'weisure-service-agreement/2019-01-01.md');
    const source = readFileSync(contentFiles.agreement, 'utf8')
      .replace('published: 2018-05-29', 'published: 2018-12-20')
      .replace('effective: 2018-06-01', 'effective: 2019-01-01')
      .replace('acceptance: required', 'acceptance: mandatory')
      .replace('(1) **向你提供产品或服务；**', '(1) 向你提供产品或服务；**')
      .replace(/<!-- assent-lint-[^]*?-->\n/g, '');
    writeFileSync(broken, source);
    const build = await buildSite({ buildDate: '2021-05-20', contentDir: root });
    expect(build.code).not.toBe(0);
    expect(build.output).toContain(
      `${broken}:7:13: error: front matter field \`acceptance\`: received "mandatory", expected one of required, notice [front-matter]`,
    );
    expect(build.output).toMatch(/2019-01-01\.md:\d+:\d+: error: unbalanced `\*\*`/);
    expect(build.output).toContain('Content check failed with 2 errors');
    // Without its lint-control comments the copy's deliberate quirks are warnings again.
    expect(build.output).toMatch(/2019-01-01\.md:\d+:1: warning: numbering jumps from \(1\) to \(3\)/);
  });
});
