import { parseArgs } from 'node:util';
import { SLUG_PATTERN } from '../../contract/record.ts';
import { openPartnerKeys } from '../../server/partners/open-partner-keys.ts';
import { newPartnerKey, originProblem, type PartnerKey } from '../../server/partners/partner-keys.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { STORE_HELP, STORE_OPTIONS, storeConfig } from '../store-options.ts';

const ACTIONS = ['create', 'list', 'revoke'];

export const keys: Command = {
  name: 'keys',
  summary: 'create, list and revoke the partner API keys that ask GET /v1/standing',
  help: `Usage: assent keys create --name NAME --document SLUG [--document SLUG …] [--origin ORIGIN …] [options]
       assent keys list [--json] [options]
       assent keys revoke ID [options]

Partner API keys let a partner's backend ask the endpoint whether a subject has accepted the
version in effect of a document (GET /v1/standing, "Authorization: Bearer <key>"). A key may
only ask about its documents; a request that carries an Origin header (a browser's) must come
from one of its origins. Only the SHA-256 of a key is stored, beside the records: "create"
prints the key once, so keep it then. Keys take effect, and revocations too, on the next
request; the endpoint need not restart. A key (with its id) also mints the short-lived
subject tokens that let a browser on one of its origins ask for one subject's standing
(README: "Subject tokens"); only their public check key is stored.

  --name NAME       who the key is for (shown by "list")
  --document SLUG   a document the key may ask about (repeat for more)
  --origin ORIGIN   a browser origin the key may be sent from, e.g. https://shop.example
                    (repeat for more; none: server-to-server only)
  --json            "list" prints JSON
${STORE_HELP}

Exit codes: 0 done, 1 the store could not be read or written (or no key has that id),
2 bad arguments.`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        ...STORE_OPTIONS,
        name: { type: 'string' },
        document: { type: 'string', multiple: true },
        origin: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const [action, ...rest] = positionals;
    if (!action || !ACTIONS.includes(action)) throw new UsageError(`give an action: ${ACTIONS.join(', ')}`);
    if (action === 'revoke' ? rest.length !== 1 : rest.length > 0)
      throw new UsageError(
        action === 'revoke'
          ? 'give the id of one key to revoke (see "assent keys list")'
          : `"${action}" takes no other arguments`,
      );
    const fields = action === 'create' ? keyFields(values) : undefined;
    const store = await openPartnerKeys(storeConfig(values));
    try {
      if (fields) {
        const made = newPartnerKey(fields);
        await store.add(made.key, made.keyHash);
        console.log(
          `created partner key ${made.key.id} for "${made.key.name}"; it is shown only now:\n${made.secret}`,
        );
        return EXIT.ok;
      }
      if (action === 'list') {
        const all = await store.list();
        console.log(values.json ? JSON.stringify(all, null, 2) : describe(all));
        return EXIT.ok;
      }
      const id = rest[0]!;
      if (!(await store.revoke(id, new Date().toISOString()))) {
        console.error(`assent keys: no working key has the id ${id} (see "assent keys list")`);
        return EXIT.failed;
      }
      console.log(`revoked partner key ${id}; requests with it are refused from now on`);
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};

function keyFields(values: {
  name?: string | undefined;
  document?: string[] | undefined;
  origin?: string[] | undefined;
}): Pick<PartnerKey, 'name' | 'origins' | 'documents'> {
  const name = values.name?.trim();
  if (!name) throw new UsageError('--name NAME is required: who the key is for');
  const documents = values.document ?? [];
  if (documents.length === 0) throw new UsageError('give at least one --document SLUG the key may ask about');
  const slug = new RegExp(SLUG_PATTERN);
  for (const document of documents)
    if (!slug.test(document))
      throw new UsageError(
        `--document "${document}" is not a document slug (lowercase letters, digits and hyphens)`,
      );
  const origins = values.origin ?? [];
  for (const origin of origins) {
    const problem = originProblem(origin);
    if (problem) throw new UsageError(`--origin ${problem}`);
  }
  return { name, documents: [...new Set(documents)], origins: [...new Set(origins)] };
}

function describe(all: PartnerKey[]): string {
  if (all.length === 0) return 'no partner keys (create one with "assent keys create")';
  return all
    .map((k) =>
      [
        `${k.id}  ${k.name}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`,
        `  documents: ${k.documents.join(', ')}`,
        `  origins:   ${k.origins.length ? k.origins.join(', ') : '(server-to-server only)'}`,
        `  created:   ${k.createdAt}`,
        `  tokens:    ${k.tokenKey ? 'mints subject tokens' : 'none (made before subject tokens: make a new key to mint them)'}`,
      ].join('\n'),
    )
    .join('\n');
}
