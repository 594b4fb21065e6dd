/**
 * The content loader's core without Astro (src/site/render-library.ts): lint once, render and
 * diff each published version, and turn a failure on one version into an error finding for
 * its file while every other version is still rendered and every finding still reported.
 */
import { describe, expect, it } from 'vitest';
import { parseVersionSource } from '../../../src/content/document-file.ts';
import { formatFinding } from '../../../src/content/finding.ts';
import { assembleLibrary } from '../../../src/content/library.ts';
import { createLegalMarkdown } from '../../../src/markdown/pipeline.ts';
import { renderLibrary } from '../../../src/site/render-library.ts';
import { frontMatter, validFrontMatter } from '../../helpers/content.ts';

const version = (published: string, effective: string, body: string) =>
  `${frontMatter({ ...validFrontMatter, published, effective })}${body}`;
const library = (files: Record<string, string>) =>
  assembleLibrary(Object.entries(files).map(([file, text]) => parseVersionSource(file, text)));
const labels = () => ({ linkToClause: (n: string) => `Link to ${n}` });

describe('renderLibrary', () => {
  it('renders each published version with the changes since the one before, and leaves out the unpublished', () => {
    const { entries, findings } = renderLibrary(
      library({
        'content/terms/2024-01-15.md': version('2024-01-10', '2024-01-15', '1. 我们收集姓名。\n'),
        'content/terms/2024-03-01.md': version('2024-02-01', '2024-03-01', '1. 我们收集姓名和电话。\n'),
        'content/terms/2024-09-01.md': version('2024-08-01', '2024-09-01', '1. 以后再说。\n'),
      }),
      { buildDate: '2024-06-01', labels },
    );
    expect(findings).toEqual([]);
    expect(entries.map((e) => e.id)).toEqual(['terms/2024-01-15', 'terms/2024-03-01']);
    expect(entries[0]!.data.changes).toBeNull();
    expect(entries[1]!.data.changes?.counts).toMatchObject({ changed: 1, added: 0, removed: 0 });
    expect(entries[0]!.html).toContain('我们收集姓名。');
  });

  it('turns a render that throws into an error on that file, and still renders the other documents', () => {
    const md = createLegalMarkdown();
    md.renderer.rules.text = (tokens, i) => {
      if (tokens[i]!.content.includes('BOOM'))
        throw new TypeError("Cannot read properties of null (reading '1')");
      return tokens[i]!.content;
    };
    const { entries, findings } = renderLibrary(
      library({
        'content/a/2024-01-15.md': version('2024-01-10', '2024-01-15', 'BOOM\n'),
        'content/b/2024-01-15.md': version('2024-01-10', '2024-01-15', '(1) 甲\n\n(3) 乙\n'),
      }),
      { buildDate: '2024-06-01', labels, md },
    );
    expect(findings.map(formatFinding)).toEqual([
      "content/a/2024-01-15.md:1:1: error: could not render this file: Cannot read properties of null (reading '1') — please report this with the file [internal]",
      'content/b/2024-01-15.md:12:1: warning: numbering jumps from (1) to (3); check that no clause was lost, or renumber [numbering]',
    ]);
    expect(entries.map((e) => e.id)).toEqual(['b/2024-01-15']);
  });

  it('turns a parse that throws into an error on that file, and renders nothing from it', () => {
    const md = createLegalMarkdown();
    md.core.ruler.push('boom', (state) => {
      if (state.src.includes('BOOM')) throw new Error('boom');
    });
    const { entries, findings } = renderLibrary(
      library({
        'content/a/2024-01-15.md': version('2024-01-10', '2024-01-15', '正文。\n'),
        'content/a/2024-03-01.md': version('2024-02-01', '2024-03-01', 'BOOM\n'),
      }),
      { buildDate: '2024-06-01', labels, md },
    );
    expect(findings.map((f) => `${f.file} ${f.rule} ${f.message}`)).toEqual([
      'content/a/2024-03-01.md internal could not process this file: boom — please report this with the file',
    ]);
    expect(entries.map((e) => e.id)).toEqual(['a/2024-01-15']);
  });
});
