import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/content/content-hash.ts';
import { readVersionFile } from '../../../src/content/document-file.ts';
import { contentFiles } from '../../helpers/paths.ts';

describe('content hash', () => {
  it('follows the documented recipe, so an auditor can recompute it from the file alone', async () => {
    const source = readFileSync(contentFiles.agreement, 'utf8');
    const body = source.slice(source.indexOf('\n---\n') + 5);
    const canonical = `assent-content/1\ntitle: 微保服务协议\nversion: 2018-06-01\n\n${body.replace(/^\n+|\n+$/g, '')}\n`;
    const expected = `sha256:${createHash('sha256').update(canonical.normalize('NFC')).digest('hex')}`;
    const result = await readVersionFile(contentFiles.agreement);
    expect(result.ok && result.version.contentHash).toBe(expected);
  });

  it('does not change with line endings, surrounding blank lines or Unicode composition', () => {
    const base = contentHash('条款', '2024-01-01', '第一条\n\n第二条 café\n');
    expect(contentHash('条款', '2024-01-01', '\r\n第一条\r\n\r\n第二条 café\r\n\r\n')).toBe(base);
    expect(contentHash('条款', '2024-01-01', '第一条\n\n第二条 cafe\u0301\n')).toBe(base);
  });

  it('changes with a word of the text, the title or the version', () => {
    const base = contentHash('条款', '2024-01-01', '第一条');
    expect(contentHash('条款', '2024-01-01', '第二条')).not.toBe(base);
    expect(contentHash('条款 ', '2024-01-01', '第一条')).not.toBe(base);
    expect(contentHash('条款', '2024-01-02', '第一条')).not.toBe(base);
  });
});
