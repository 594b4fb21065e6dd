import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { diff } from '../../../src/cli/commands/diff.ts';
import { assent } from '../../helpers/cli.ts';

let work: string;

function version(dir: string, slug: string, date: string, body: string, locale = 'en'): string {
  mkdirSync(join(dir, slug), { recursive: true });
  const file = join(dir, slug, `${date}.md`);
  const front = `---\ntitle: Terms\nkind: agreement\nlocale: ${locale}\npublished: ${date}\neffective: ${date}\nacceptance: notice\nsummary: Test version.\n---\n`;
  writeFileSync(file, front + body);
  return file;
}

/** Runs `assent diff` in this process, returning the exit code and what it printed. */
async function runDiff(args: string[]): Promise<{ code: number; stdout: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const code = await diff.run([...args, '--no-color']);
  return { code, stdout: lines.join('\n') };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'assent-diff-'));
  const content = join(work, 'content');
  version(content, 'terms', '2024-01-01', '## 1. Fees\n\nYou pay **monthly**.\n');
  version(content, 'terms', '2025-01-01', '## 1. Fees\n\nYou pay **yearly**.\n');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('assent diff: where the documents are', () => {
  it('reads the folder named by ASSENT_CONTENT_DIR, as the other commands do', () => {
    const { code, stdout, stderr } = assent(['diff', 'terms', '2024-01-01', '2025-01-01'], {
      env: { ASSENT_CONTENT_DIR: join(work, 'content') },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('[-monthly-]{+yearly+}');
  });

  it('prefers --content over ASSENT_CONTENT_DIR', () => {
    const { code, stdout } = assent(
      ['diff', 'terms', '2024-01-01', '2025-01-01', '--content', join(work, 'content')],
      { env: { ASSENT_CONTENT_DIR: join(work, 'nowhere') } },
    );
    expect(code).toBe(0);
    expect(stdout).toContain('1 changed, 0 added, 0 removed');
  });

  it('names the content folder it cannot find, and where the name came from', () => {
    const { code, stderr } = assent(['diff', 'terms', '2024-01-01', '2025-01-01'], {
      env: { ASSENT_CONTENT_DIR: join(work, 'nowhere') },
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      `cannot read the content folder ${join(work, 'nowhere')} (from ASSENT_CONTENT_DIR)`,
    );
  });
});

describe('assent diff: odd input', () => {
  it('names the file whose front matter keeps a version out', async () => {
    const content = join(work, 'broken');
    version(content, 'terms', '2024-01-01', 'You pay monthly.\n');
    const file = join(content, 'terms', '2025-01-01.md');
    writeFileSync(file, '---\ntitle: Terms\n---\nYou pay yearly.\n');
    await expect(diff.run(['terms', '2024-01-01', '2025-01-01', '--content', content])).rejects.toThrow(file);
  });

  it('exits 2 on an unknown option', async () => {
    const { code, stderr } = assent(['diff', 'terms', '2024-01-01', '2025-01-01', '--colour']);
    expect(code).toBe(2);
    expect(stderr).toContain('--colour');
  });

  const oddBodies: Record<string, string> = {
    empty: '',
    'blank lines': '\n\n\n',
    'bold before a line break': '**Bold**\nnext line\n\n1. **Fees**\n  are due monthly.\n',
    'control characters': 'You agree \u001b[2J\u001b[31mto nothing\u0000 at all.\n',
    'a lone surrogate': 'Broken \ud800 text and 😀 emoji.\n',
    'deeply nested lists': Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n'),
    'stray bold markers': '**'.repeat(300),
    'raw HTML': '<script>alert(1)</script>\n\n<b>bold?</b>',
    'a table with bold': '| A | B |\n| --- | --- |\n| **x** | y |\n',
    'empty headings': '#\n\n##\n\n####### seven\n\n1.\n\n（）\n',
    'invisible characters': 'We\u200b \u00a0may\u3000change\ufeff these\u00ad terms.\n',
    'one long paragraph': Array.from({ length: 3000 }, (_, i) => `word${i % 97}`).join(' '),
    中文与混排: '## 一、总则\n\n1.1 您在使用\nGitHub 服务前，应当**仔细阅读**本协议。\n\n（1）**重点**条款',
  };

  it('diffs any pair of odd documents without failing', async () => {
    const content = join(work, 'odd');
    const dates = Object.values(oddBodies).map((body, i) => {
      const date = `2020-01-${String(i + 1).padStart(2, '0')}`;
      version(content, 'odd', date, body, i % 2 ? 'zh-CN' : 'en');
      return date;
    });
    for (let i = 0; i < dates.length; i++) {
      for (const j of [i, (i + 1) % dates.length, (i + 5) % dates.length]) {
        const result = await runDiff(['odd', dates[i]!, dates[j]!, '--content', content]);
        expect(result.code, `${dates[i]} → ${dates[j]}`).toBe(0);
        expect(result.stdout).toMatch(/^\d+ changed, \d+ added, \d+ removed/);
        expect(result.stdout).not.toContain('\u001b');
      }
    }
  });
});

describe('assent diff: output', () => {
  it('prints "formatting only" for a clause that only became bold, naming the passage', async () => {
    const content = join(work, 'bold');
    version(content, 'terms', '2024-01-01', '## 1. Changes\n\nWe will email you 30 days before a change.\n');
    version(
      content,
      'terms',
      '2025-01-01',
      '## 1. Changes\n\nWe will **email you 30 days before** a change.\n',
    );
    const { code, stdout } = await runDiff(['terms', '2024-01-01', '2025-01-01', '--content', content]);
    expect(code).toBe(0);
    expect(stdout).toContain('1. Changes\n  formatting only #c1\n');
    expect(stdout).toContain('    now bold: email you 30 days before');
  });
});
