/**
 * The content hash identifies exactly the text a person was shown, independently of how it
 * was rendered, so that an auditor can check a record against the Markdown in git.
 *
 * Recipe (version 1), reproducible with any SHA-256 tool:
 *   1. Take the Markdown body: everything after the closing `---` of the front matter.
 *   2. Turn CRLF and CR into LF; drop blank lines at the start and end; end with one LF.
 *   3. Prefix the header `assent-content/1\ntitle: <title>\nversion: <version>\n\n`.
 *   4. Normalise to Unicode NFC, encode as UTF-8 and hash with SHA-256.
 * The result is written `sha256:<64 hex digits>`. `npx assent hash <file>` prints it.
 */
import { createHash } from 'node:crypto';

export const CONTENT_HASH_PREFIX = 'sha256:';

export function canonicalContent(title: string, version: string, body: string): string {
  const text = body.replace(/\r\n?/g, '\n').replace(/^\n+/, '').replace(/\n+$/, '');
  return `assent-content/1\ntitle: ${title}\nversion: ${version}\n\n${text}\n`.normalize('NFC');
}

export function contentHash(title: string, version: string, body: string): string {
  const digest = createHash('sha256').update(canonicalContent(title, version, body), 'utf8').digest('hex');
  return CONTENT_HASH_PREFIX + digest;
}
