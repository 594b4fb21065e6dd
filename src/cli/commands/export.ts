import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, exportChunks, type ExportFormat } from '../../server/export-format.ts';
import { openReader } from '../../server/store/open-store.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { STORE_HELP, STORE_OPTIONS, storeConfig } from '../store-options.ts';

export const exportRecords: Command = {
  name: 'export',
  summary: 'write every stored record as NDJSON or CSV',
  help: `Usage: assent export [--format ndjson|csv] [--output FILE] [--from SEQ] [options]

Writes the stored records in chain order. NDJSON (the default) is the evidence: one record
per line in canonical JSON, each with its hash and the hash before it, so the file can be
verified on its own. CSV is a flat view for spreadsheets.

  --format ndjson|csv   default ndjson
  --output FILE         default: standard output
  --from SEQ            start at this record number
${STORE_HELP}

Exit codes: 0 written, 1 the store could not be read, 2 bad arguments.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        ...STORE_OPTIONS,
        format: { type: 'string', default: 'ndjson' },
        output: { type: 'string' },
        from: { type: 'string' },
      },
    });
    if (!EXPORT_FORMATS.includes(values.format as ExportFormat))
      throw new UsageError(`--format must be ${EXPORT_FORMATS.join(' or ')}`);
    const from = values.from === undefined ? 1 : Number(values.from);
    if (!Number.isSafeInteger(from) || from < 1)
      throw new UsageError('--from must be a record number from 1');
    const store = await openReader(storeConfig(values));
    try {
      const source = Readable.from(exportChunks(values.format as ExportFormat, store.records(from)));
      await pipeline(source, values.output ? createWriteStream(values.output) : process.stdout);
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
