import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { auditCheckpoint, mergeKeys, readSavedKeys } from '../../server/proof/log-audit.ts';
import { verifyChain } from '../../server/record-hash.ts';
import { openReader } from '../../server/store/open-store.ts';
import { EXIT, type Command } from '../command.ts';
import { STORE_HELP, STORE_OPTIONS, storeConfig } from '../store-options.ts';

export const verify: Command = {
  name: 'verify',
  summary: 'check that no stored record was changed, removed or reordered',
  help: `Usage: assent verify [--checkpoint FILE] [options]

Walks the chain of stored records in order: each must follow the one before it, name the
hash of the one before it, and match its own hash. Reports the first broken link.

The chain alone cannot tell a deleted tail, or records rewritten from some point on with
every later hash recomputed. With --checkpoint, it also proves that the store still holds
every record a signed checkpoint saved earlier (\`assent checkpoint --save\`) covers: their
Merkle root, recomputed from the records, must be the one the checkpoint signed.

  --checkpoint FILE  a saved checkpoint; its signature is checked against the keys saved
                     beside it (assent-keys.json) and the store's
${STORE_HELP}

Safe while the endpoint runs. Exit codes: 0 the chain holds (and the checkpoint's records
are all there), 1 it is broken (or the store could not be opened), 2 bad arguments.`,
  async run(args) {
    const { values } = parseArgs({ args, options: { ...STORE_OPTIONS, checkpoint: { type: 'string' } } });
    const note = values.checkpoint === undefined ? undefined : readFileSync(values.checkpoint, 'utf8');
    const store = await openReader(storeConfig(values));
    try {
      if (note !== undefined) {
        const jwks = mergeKeys(readSavedKeys(dirname(values.checkpoint!)), await store.publicKeys());
        const report = await auditCheckpoint(store, note, jwks);
        if (!report.ok) {
          console.log(`not ok: ${report.reason}`);
          return EXIT.failed;
        }
        const { treeSize, time } = report.checkpoint;
        console.log(
          `ok: all ${treeSize} records of the checkpoint${time ? ` signed ${time}` : ''} are stored unchanged; ${report.records} records in all, chain intact`,
        );
        return EXIT.ok;
      }
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
