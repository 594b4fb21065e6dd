import { parseArgs } from 'node:util';
import { yieldHelperThreads } from '../../server/background-thread.ts';
import { startEndpoint } from '../../server/serve.ts';
import { UsageError, type Command } from '../command.ts';
import { untilStopped } from '../shutdown.ts';
import { STORE_HELP, STORE_OPTIONS, storeConfig } from '../store-options.ts';

export const serve: Command = {
  name: 'serve',
  summary: 'run the record endpoint',
  help: `Usage: assent serve [options]

Runs the endpoint that stores acceptance and consent records (POST /v1/records), with the
operator routes, GET /healthz and GET /readyz. Prints "assent: listening on <url>" when
ready; Ctrl-C or SIGTERM lets requests under way finish, then stops (a second one, or 15
seconds, stops at once).

  --host HOST             interface (default 127.0.0.1; or ASSENT_HOST)
  --port N                port, 0 for any free one (default 8787; or ASSENT_PORT)
${STORE_HELP}
  --manifest PATH|URL     the site's manifest.json (default dist/assent/manifest.json)
  --allow-origin ORIGIN   a partner site allowed to post records; repeat for several
  --operator-token TOKEN  the admin token: every operator route (or ASSENT_OPERATOR_TOKEN)
  --operator-token-file FILE
                          the same, read from a file, so the token is not in \`ps\`
                          (or ASSENT_OPERATOR_TOKEN_FILE)
  --auditor-token TOKEN   the auditor token: read, verify, export, stats (or ASSENT_AUDITOR_TOKEN)
  --auditor-token-file FILE
                          the same, read from a file (or ASSENT_AUDITOR_TOKEN_FILE)
  --rate-limit N          requests per minute per address, 0 for none (default 600)

Every setting can also come from the config file or ASSENT_* variables (see README,
"Endpoint configuration"). Flags win over variables, variables over the file. Secrets can
come from files: ASSENT_OPERATOR_TOKEN_FILE, ASSENT_AUDITOR_TOKEN_FILE, ASSENT_HMAC_SECRET_FILE, ASSENT_DATABASE_URL_FILE.

Exit codes: 0 stopped cleanly, 1 could not start or did not stop cleanly, 2 bad arguments.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        ...STORE_OPTIONS,
        host: { type: 'string' },
        port: { type: 'string' },
        manifest: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'operator-token': { type: 'string' },
        'operator-token-file': { type: 'string' },
        'auditor-token': { type: 'string' },
        'auditor-token-file': { type: 'string' },
        'rate-limit': { type: 'string' },
      },
    });
    if (values['operator-token'] && values['operator-token-file'])
      throw new UsageError('give --operator-token or --operator-token-file, not both');
    if (values['auditor-token'] && values['auditor-token-file'])
      throw new UsageError('give --auditor-token or --auditor-token-file, not both');
    const config = storeConfig(
      values,
      {
        host: values.host,
        port: values.port,
        manifest: values.manifest,
        allowedOrigins: values['allow-origin'],
        operatorToken: values['operator-token'],
        auditorToken: values['auditor-token'],
        rateLimitPerMinute: values['rate-limit'],
      },
      { operatorToken: values['operator-token-file'], auditorToken: values['auditor-token-file'] },
    );
    // This process is the endpoint and nothing else: V8's compiler and garbage-collector
    // helpers give way to the request and writer threads (src/server/background-thread.ts).
    yieldHelperThreads(10);
    const level = process.env.ASSENT_LOG_LEVEL ?? 'info';
    const endpoint = await startEndpoint(config, { logger: level === 'silent' ? false : { level } });
    console.log(`assent: listening on ${endpoint.url}`);

    const code = await untilStopped(() => endpoint.close(), {
      log: (line) => console.log(`assent: ${line}`),
    });
    console.log('assent: stopped');
    return code;
  },
};
