import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isCalendarDate, localDate } from '../../contract/dates.ts';
import { ACCEPTANCE_MODES, type AcceptanceMode } from '../../contract/manifest.ts';
import { readLibrary } from '../../content/library.ts';
import { SUMMARY_PLACEHOLDERS } from '../../lint/summary-placeholder.ts';
import { defaultContentFolder } from '../content-folder.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

export const newVersion: Command = {
  name: 'new-version',
  summary: 'start a new version of a document from its latest one',
  help: `Usage: assent new-version <slug> [--effective DATE] [--published DATE]
                          [--acceptance required|notice] [--summary TEXT] [--content DIR]

Copies the latest version of a document to content/<slug>/<effective>.md with the front matter
filled in: title, kind, locale and operator from the latest version; the dates, acceptance and
summary from the options. Then edit the text, run \`npx assent lint\`, and preview with
\`npm start\`.

  --effective DATE     when the new version takes effect (default: today)
  --published DATE     when it is made public (default: today, or the effective date if earlier)
  --acceptance MODE    required (users must accept again) or notice (users are told);
                       default: as the latest version
  --summary TEXT       what changed; without it a placeholder is written, which lint refuses
                       until it is replaced
  --content DIR        the content folder (default: $ASSENT_CONTENT_DIR, or content)

Exit codes: 0 created, 1 unknown document or a version that exists or is not newer,
2 bad arguments.`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        effective: { type: 'string' },
        published: { type: 'string' },
        acceptance: { type: 'string' },
        summary: { type: 'string' },
        content: { type: 'string', default: defaultContentFolder() },
      },
    });
    if (positionals.length !== 1)
      throw new UsageError('name one document, e.g. assent new-version besttrav-privacy-policy');
    const [slug] = positionals as [string];
    const today = localDate(new Date());
    const effective = values.effective ?? today;
    const published = values.published ?? (effective < today ? effective : today);
    for (const [flag, date] of [
      ['--effective', effective],
      ['--published', published],
    ] as const) {
      if (!isCalendarDate(date))
        throw new UsageError(`${flag} must be a date written YYYY-MM-DD, not "${date}"`);
    }
    if (effective < published)
      throw new UsageError(`--effective ${effective} is before --published ${published}`);
    if (values.acceptance !== undefined && !ACCEPTANCE_MODES.includes(values.acceptance as AcceptanceMode)) {
      throw new UsageError(`--acceptance must be ${ACCEPTANCE_MODES.join(' or ')}`);
    }

    const library = await readLibrary(values.content);
    const document = library.documents.find((d) => d.slug === slug);
    if (!document) {
      throw new Error(
        `no document "${slug}" in ${values.content}/; there are: ${library.documents.map((d) => d.slug).join(', ')}`,
      );
    }
    const latest = document.versions[document.versions.length - 1]!;
    if (effective <= latest.version) {
      throw new Error(
        `the latest version of ${slug} takes effect on ${latest.version}; a new one must take effect after it (--effective)`,
      );
    }
    const file = join(values.content, slug, `${effective}.md`);
    if (existsSync(file)) throw new Error(`${file} already exists`);

    const fm = latest.frontMatter;
    const acceptance = (values.acceptance as AcceptanceMode | undefined) ?? fm.acceptance;
    const summary =
      values.summary ?? SUMMARY_PLACEHOLDERS[fm.locale.toLowerCase().startsWith('zh') ? 'zh' : 'en'];
    const lines = [
      '---',
      `title: ${yamlText(fm.title)}`,
      `kind: ${fm.kind}`,
      `locale: ${fm.locale}`,
      `published: ${published}`,
      `effective: ${effective}`,
      `acceptance: ${acceptance}`,
      `summary: ${yamlText(summary)}`,
      ...(fm.operator ? [`operator: ${yamlText(fm.operator)}`] : []),
      '---',
      '',
    ];
    await writeFile(file, `${lines.join('\n')}${latest.body.replace(/^\n+/, '')}`, { flag: 'wx' });
    console.log(`created ${file} from version ${latest.version} (${acceptance}, effective ${effective})`);
    if (!values.summary) console.log('next: write the summary of what changed, then edit the text');
    console.log('then: npx assent lint, and npm start to preview it with its changes page');
    return EXIT.ok;
  },
};

/** A YAML scalar that stays text whatever it contains. */
function yamlText(text: string): string {
  return JSON.stringify(text);
}
