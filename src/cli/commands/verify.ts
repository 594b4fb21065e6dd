import { parseArgs } from 'node:util';
import { verifyChain } from '../../server/record-hash.ts';
import { openReader } from '../../server/store/open-store.ts';
import { EXIT, type Command } from '../command.ts';
import { STORE_HELP, STORE_OPTIONS, storeConfig } from '../store-options.ts';

export const verify: Command = {
  name: 'verify',
  summary: 'check that no stored record was changed, removed or reordered',
  help: `Usage: assent verify [options]

Walks the chain of stored records in order: each must follow the one before it, name the
hash of the one before it, and match its own hash. Reports the first broken link.

${STORE_HELP}

Safe while the endpoint runs. Exit codes: 0 the chain holds, 1 it is broken (or the store
could not be opened), 2 bad arguments.`,
  async run(args) {
    const { values } = parseArgs({ args, options: STORE_OPTIONS });
    const store = await openReader(storeConfig(values));
    try {
      const report = await verifyChain(store.links());
      if (report.ok) {
        console.log(
          `ok: ${report.records} records, chain intact; last #${report.lastSeq} ${report.lastHash}`,
        );
        return EXIT.ok;
      }
      console.log(
        `broken at record #${report.brokenAt}: ${report.reason} (${report.records} records before it verify)`,
      );
      return EXIT.failed;
    } finally {
      await store.close();
    }
  },
};
