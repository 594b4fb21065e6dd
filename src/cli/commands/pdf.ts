import { parseArgs } from 'node:util';
import { EXIT, UsageError, type Command } from '../command.ts';

export const pdf: Command = {
  name: 'pdf',
  summary: 'write an A4 PDF of a version for the archive',
  help: `Usage: assent pdf <slug> [<version>] [--site DIR] [--output FILE]

Prints one version of a document to an A4 PDF from its built page (run \`npm run build\` first),
with the site's print style, Chinese text in an embedded Noto Sans SC, and in every page's
footer the title, the version, its content hash and the page number.

  <slug>          the document, e.g. besttrav-privacy-policy
  <version>       its effective date, e.g. 2021-06-01 (default: the version in effect today)
  --site DIR      the built site (default: dist)
  --output FILE   where to write it (default: <slug>-<version>.pdf)

Exit codes: 0 written, 1 no built site, unknown document or version, or printing failed,
2 bad arguments.`,
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: { site: { type: 'string', default: 'dist' }, output: { type: 'string' } },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length < 1 || positionals.length > 2)
      throw new UsageError('give a document slug and, optionally, a version');
    const [slug, version] = positionals as [string, string | undefined];
    // Loaded here, not at start-up: Chromium's driver is heavy for every other command.
    const { printVersion } = await import('../../pdf/print-version.ts');
    const printed = await printVersion({
      siteDir: values.site,
      slug,
      ...(version ? { version } : {}),
      output: values.output ?? `${slug}-${version ?? 'current'}.pdf`,
    });
    console.log(
      `wrote ${printed.output}: ${printed.title}, version ${printed.version}, ${printed.contentHash}`,
    );
    return EXIT.ok;
  },
};
