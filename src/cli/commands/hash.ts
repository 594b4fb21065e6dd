import { readVersionFile } from '../../content/document-file.ts';
import { formatFinding } from '../../content/finding.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

export const hash: Command = {
  name: 'hash',
  summary: 'print the content hash of document versions',
  help: `Usage: assent hash <file.md>...

Prints "sha256:<hex>  <file>" for each version: the content hash that the manifest publishes
and that every acceptance record names. README ("Content hash") gives the recipe, so anyone
can recompute it from the Markdown in git.

Exit codes: 0 printed, 1 a file could not be read, 2 bad arguments.`,
  async run(args) {
    if (args.length === 0) throw new UsageError('name at least one Markdown file');
    let code: number = EXIT.ok;
    for (const file of args) {
      const result = await readVersionFile(file);
      if (result.ok) {
        console.log(`${result.version.contentHash}  ${file}`);
      } else {
        for (const f of result.findings) console.error(formatFinding(f));
        code = EXIT.failed;
      }
    }
    return code;
  },
};
