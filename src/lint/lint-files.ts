/**
 * `assent lint [paths]`: reads the given files and folders (default `content/`) and lints
 * them as one library (`lintLibrary`), so that versions of a document are checked together.
 */
import { stat } from 'node:fs/promises';
import type { Finding } from '../content/finding.ts';
import { listVersionFiles, readVersionFiles } from '../content/library.ts';
import { createLegalMarkdown } from '../markdown/pipeline.ts';
import { lintLibrary } from './lint-library.ts';

export async function lintPaths(paths: readonly string[]): Promise<Finding[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    files.push(...(info.isDirectory() ? await listVersionFiles(path) : [path]));
  }
  if (files.length === 0) throw new Error(`no Markdown (.md) files in ${paths.join(', ')}`);
  return lintLibrary(await readVersionFiles(files), createLegalMarkdown()).findings;
}
