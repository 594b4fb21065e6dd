/**
 * `assent lint [paths]`: reads the given files and folders (default `content/`), checks front
 * matter, file names, version order and every Markdown rule, and returns the findings.
 */
import { stat } from 'node:fs/promises';
import { createLegalMarkdown, parseLegal } from '../markdown/pipeline.ts';
import { listVersionFiles, readVersionFiles } from '../content/library.ts';
import { lintBody } from './lint.ts';
import { sortFindings, type Finding } from './finding.ts';

export async function lintPaths(paths: readonly string[]): Promise<Finding[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    files.push(...(info.isDirectory() ? await listVersionFiles(path) : [path]));
  }
  if (files.length === 0) throw new Error(`no Markdown (.md) files in ${paths.join(', ')}`);
  const library = await readVersionFiles(files);
  const md = createLegalMarkdown();
  const findings = [...library.findings];
  const bodies = [...library.documents.flatMap((d) => d.versions), ...library.unreadable];
  for (const body of bodies) findings.push(...lintBody(body, parseLegal(md, body.body)));
  return sortFindings(findings);
}
