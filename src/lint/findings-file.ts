/**
 * How the site build hands its findings to `npm start`, which runs the build in a child
 * process: the content loader writes them as JSON to the file named by ASSENT_FINDINGS_FILE,
 * and start prints them once, its own way, instead of linting the library a second time.
 *
 *   await astroBuild({ outDir, env: { [FINDINGS_FILE_ENV]: file } });
 *   const findings = await readFindingsFile(file); // undefined if the build never linted
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Finding } from '../content/finding.ts';

export const FINDINGS_FILE_ENV = 'ASSENT_FINDINGS_FILE';

export async function writeFindingsFile(file: string, findings: readonly Finding[]): Promise<void> {
  await writeFile(file, JSON.stringify(findings));
}

export async function readFindingsFile(file: string): Promise<Finding[] | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Finding[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
