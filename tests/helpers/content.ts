import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const validFrontMatter = {
  title: '测试协议',
  kind: 'agreement',
  locale: 'zh-CN',
  published: '2024-01-01',
  effective: '2024-01-15',
  acceptance: 'required',
  summary: '首次发布。',
};

/** Front matter lines from fields; `undefined` values are left out. */
export function frontMatter(fields: Record<string, string | undefined>): string {
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n`;
}

/** A temporary content folder holding the given files (`slug/version.md` → text). */
export function contentFolder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'assent-content-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
