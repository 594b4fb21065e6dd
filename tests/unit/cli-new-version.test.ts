import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/contract/dates.ts';
import { splitFrontMatter } from '../../src/content/front-matter.ts';
import { assent } from '../helpers/cli.ts';
import { contentFiles, contentRoot } from '../helpers/paths.ts';

function contentCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'assent-content-'));
  cpSync(contentRoot, root, { recursive: true });
  return root;
}

describe('assent new-version', () => {
  it('copies the latest version with the front matter filled in, ready to edit', () => {
    const root = contentCopy();
    const { code, stdout } = assent([
      'new-version',
      'weisure-service-agreement',
      '--effective',
      '2030-01-01',
      '--published',
      '2029-12-01',
      '--acceptance',
      'required',
      '--summary',
      '修改第 7.2 条。',
      '--content',
      root,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('created');
    const created = readFileSync(join(root, 'weisure-service-agreement/2030-01-01.md'), 'utf8');
    expect(created).toMatch(
      /^---\ntitle: "微保服务协议"\nkind: agreement\nlocale: zh-CN\npublished: 2029-12-01\neffective: 2030-01-01\nacceptance: required\nsummary: "修改第 7\.2 条。"\noperator: "微民保险代理有限公司"\n---\n/,
    );
    expect(splitFrontMatter(created).body.trim()).toBe(
      splitFrontMatter(readFileSync(contentFiles.agreement, 'utf8')).body.trim(),
    );
    expect(assent(['lint', root]).code).toBe(0);
  });

  it('defaults to today, the latest acceptance mode, and a placeholder summary that lint refuses', () => {
    const root = contentCopy();
    expect(assent(['new-version', 'besttrav-privacy-policy', '--content', root]).code).toBe(0);
    const today = localDate(new Date());
    const created = readFileSync(join(root, `besttrav-privacy-policy/${today}.md`), 'utf8');
    expect(created).toContain(`published: ${today}\neffective: ${today}\nacceptance: notice\n`);
    const lint = assent(['lint', root]);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain(
      'error: the summary is still the placeholder written by `assent new-version`',
    );
  });

  it('refuses a version that is not newer than the latest, or already exists', () => {
    const root = contentCopy();
    const older = assent([
      'new-version',
      'besttrav-privacy-policy',
      '--effective',
      '2021-01-01',
      '--content',
      root,
    ]);
    expect(older.code).toBe(1);
    expect(older.stderr).toContain(
      'the latest version of besttrav-privacy-policy takes effect on 2021-06-01',
    );
    expect(assent(['new-version', 'no-such-doc', '--content', root]).stderr).toContain(
      'no document "no-such-doc"',
    );
    expect(
      assent(['new-version', 'besttrav-privacy-policy', '--effective', '2030-02-30', '--content', root]).code,
    ).toBe(2);
  });
});
