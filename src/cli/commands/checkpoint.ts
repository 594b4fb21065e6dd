import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { saveCheckpoint } from '../../server/proof/log-audit.ts';
import { openReader } from '../../server/store/open-store.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { STORE_HELP, STORE_OPTIONS, storeConfig } from '../store-options.ts';

export const checkpoint: Command = {
  name: 'checkpoint',
  summary: 'save the newest signed checkpoint off the machine, proven consistent with the last saved',
  help: `Usage: assent checkpoint --save DIR [options]

Copies the store's newest signed checkpoint (a C2SP tlog checkpoint: tree size and Merkle root
of the records, signed with the endpoint's Ed25519 key) into DIR as <tree size>.checkpoint, and
the endpoint's public keys as DIR/assent-keys.json. Before saving, proves that the store's tree
extends the newest checkpoint already in DIR (an RFC 9162 consistency proof), so records that
checkpoint covered were neither changed nor removed. Run it from cron with DIR on another
machine or disk; \`assent verify --checkpoint DIR/<n>.checkpoint\` later proves the store
still holds everything it covers.

  --save DIR        where checkpoints are kept (created if missing)
${STORE_HELP}

Exit codes: 0 saved (or already saved), 1 the store is not consistent with DIR's newest
checkpoint (or could not be read), 2 bad arguments.`,
  async run(args) {
    const { values } = parseArgs({ args, options: { ...STORE_OPTIONS, save: { type: 'string' } } });
    if (!values.save) throw new UsageError('--save DIR is required: the folder that keeps the checkpoints');
    mkdirSync(values.save, { recursive: true });
    const store = await openReader(storeConfig(values));
    try {
      const report = await saveCheckpoint(store, values.save);
      if (!report.ok) {
        console.log(`not saved: ${report.reason}`);
        return EXIT.failed;
      }
      const { treeSize, time } = report.checkpoint;
      const since =
        report.previous === undefined
          ? 'the first saved here'
          : `consistent with the ${report.previous} saved before`;
      console.log(
        report.unchanged
          ? `ok: ${report.file} (${treeSize} records) is still the newest checkpoint`
          : `saved ${report.file}: ${treeSize} records, signed ${time ?? '(no time)'}; ${since}`,
      );
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
