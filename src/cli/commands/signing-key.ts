import { parseArgs } from 'node:util';
import { rotateSigningKey } from '../../server/proof/signing-keys.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { STORE_HELP, STORE_OPTIONS, storeConfig } from '../store-options.ts';

export const signingKey: Command = {
  name: 'signing-key',
  summary: "rotate the endpoint's Ed25519 key for receipts and checkpoints",
  help: `Usage: assent signing-key rotate [options]

Adds a new Ed25519 key to <dataDir>/signing-keys.json and makes it the one receipts and
checkpoints are signed with from the next start of the endpoint. The old keys stay in the
file and in /.well-known/assent-keys.json, so what they signed still verifies. Restart the
endpoint afterwards.

${STORE_HELP}

Exit codes: 0 rotated, 1 the key file could not be written, 2 bad arguments.`,
  async run(args) {
    const { values, positionals } = parseArgs({ args, options: STORE_OPTIONS, allowPositionals: true });
    if (positionals[0] !== 'rotate' || positionals.length > 1)
      throw new UsageError('the only action is "rotate"');
    const config = storeConfig(values);
    const kid = rotateSigningKey(config.dataDir);
    console.log(`rotated: new signing key ${kid} in ${config.dataDir}; restart the endpoint to sign with it`);
    return EXIT.ok;
  },
};
