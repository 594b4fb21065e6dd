/**
 * A digest of the code and strings that shape a rendered version (the Markdown pipeline, lint,
 * diff, the content reader, the UI strings, the installed dependencies), so that an
 * incremental build reuses an earlier build's work only while they are what made it.
 * Hashing these few hundred kilobytes takes milliseconds; a forgotten version bump would serve
 * stale pages.
 *
 *   const digest = await codeDigest(projectRoot);   // 'sha256 hex', stable while no file changes
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const SOURCES = ['src/markdown', 'src/lint', 'src/diff', 'src/content', 'src/site/translations'];
const FILES = ['src/site/render-library.ts', 'src/site/lib/version-data.ts', 'package-lock.json'];

export async function codeDigest(projectRoot: string): Promise<string> {
  const files = [...FILES];
  for (const dir of SOURCES) {
    const names = await readdir(join(projectRoot, dir), { recursive: true });
    files.push(...names.filter((name) => /\.(ts|json)$/.test(name)).map((name) => join(dir, name)));
  }
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(file).update('\0');
    hash.update(await readFile(join(projectRoot, file))).update('\0');
  }
  return hash.digest('hex');
}
