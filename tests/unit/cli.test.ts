import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assent } from '../helpers/cli.ts';
import { contentFolder, frontMatter, validFrontMatter } from '../helpers/content.ts';
import { contentFiles, rawSeeds } from '../helpers/paths.ts';

describe('assent CLI', () => {
  it('lists its commands, and has --help for each', { timeout: 60_000 }, () => {
    const { code, stdout } = assent(['--help']);
    expect(code).toBe(0);
    for (const name of [
      'start',
      'dev',
      'new-version',
      'lint',
      'diff',
      'hash',
      'pdf',
      'serve',
      'verify',
      'checkpoint',
      'signing-key',
      'keys',
      'export',
    ]) {
      expect(stdout).toContain(`  ${name}`);
      const help = assent([name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: assent ${name}`));
      expect(help.stdout).toContain('Exit codes');
    }
    // Two processes a command: on a loaded two-core machine each takes a second or more.
  });

  it('exits 2 on an unknown command or missing arguments', () => {
    expect(assent(['publish']).code).toBe(2);
    const missing = assent(['diff', 'only-a-slug']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('give a document slug and two versions');
  });

  it('lint prints file:line:col findings and exits 1 on errors', () => {
    const { code, stdout, stderr } = assent(['lint', rawSeeds.agreement]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/000_1ff5f467957c1c06\.txt:71:17: error: unbalanced `\*\*`.* \[bold-balance\]/);
    expect(stderr).toContain('5 errors, 6 warnings');
  });

  it('lint passes the content folder by default, whose kept quirks are acknowledged in the files', () => {
    const { code, stdout, stderr } = assent(['lint']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('0 errors, 0 warnings');
  });

  it('lint prints warnings with file:line:col and exits 0 when there is no error', () => {
    const root = contentFolder({
      'terms/2024-01-15.md': `${frontMatter(validFrontMatter)}\n(1) 甲；\n\n(3) 乙。\n`,
    });
    const { code, stdout, stderr } = assent(['lint', root]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `${join(root, 'terms/2024-01-15.md')}:13:1: warning: numbering jumps from (1) to (3); check that no clause was lost, or renumber [numbering]\n`,
    );
    expect(stderr).toContain('0 errors, 1 warning');
  });

  it('diff prints the changed words between two versions', () => {
    const { code, stdout } = assent(['diff', 'besttrav-privacy-policy', '2020-12-01', '2021-06-01']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^3 changed, 1 added, 0 removed\n/);
    expect(stdout).toContain('五、信息存储\n  changed #s5-c1');
    expect(stdout).toContain('[-尽快-]{+在 15 个工作日内+}');
    expect(stdout).toContain('added #s6-c6');
    expect(stdout).toContain('now bold: 我们会通过软件弹窗方式及时提示您隐私政策更新的情况');
  });

  it('diff colours changes on request and names a missing version', () => {
    const colored = assent(['diff', 'besttrav-privacy-policy', '2020-12-01', '2021-06-01', '--color']);
    expect(colored.stdout).toContain('\x1b[31m尽快\x1b[0m');
    const missing = assent(['diff', 'besttrav-privacy-policy', '2020-12-01', '2030-01-01']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no version 2030-01-01; it has: 2020-12-01, 2021-06-01');
  });

  it('hash prints the content hash the manifest publishes', () => {
    const { code, stdout } = assent(['hash', contentFiles.agreement]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sha256:[0-9a-f]{64}  .*2018-06-01\.md\n$/);
  });
});
