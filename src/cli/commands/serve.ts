import { parseArgs } from 'node:util';
import { startEndpoint } from '../../server/serve.ts';
import { EXIT, type Command } from '../command.ts';
import { STORE_HELP, STORE_OPTIONS, storeConfig } from '../store-options.ts';

export const serve: Command = {
  name: 'serve',
  summary: 'run the record endpoint',
  help: `Usage: assent serve [options]

Runs the endpoint that stores acceptance and consent records (POST /v1/records), with the
operator routes and GET /healthz. Prints "assent: listening on <url>" when ready; Ctrl-C or
SIGTERM lets requests under way finish, then stops.

  --host HOST             interface (default 127.0.0.1; or ASSENT_HOST)
  --port N                port, 0 for any free one (default 8787; or ASSENT_PORT)
${STORE_HELP}
  --manifest PATH|URL     the site's manifest.json (default dist/assent/manifest.json)
  --allow-origin ORIGIN   a partner site allowed to post records; repeat for several
  --operator-token TOKEN  enables the operator routes (or ASSENT_OPERATOR_TOKEN)
  --rate-limit N          requests per minute per address, 0 for none (default 600)

Every setting can also come from the config file or ASSENT_* variables (see README,
"Endpoint configuration"). Flags win over variables, variables over the file.

Exit codes: 0 stopped cleanly, 1 could not start, 2 bad arguments.`,
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
        'rate-limit': { type: 'string' },
      },
    });
    const config = storeConfig(values, {
      host: values.host,
      port: values.port,
      manifest: values.manifest,
      allowedOrigins: values['allow-origin'],
      operatorToken: values['operator-token'],
      rateLimitPerMinute: values['rate-limit'],
    });
    const level = process.env.ASSENT_LOG_LEVEL ?? 'info';
    const endpoint = await startEndpoint(config, { logger: level === 'silent' ? false : { level } });
    console.log(`assent: listening on ${endpoint.url}`);

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        console.log(`assent: ${signal}, finishing requests under way`);
        // A second signal, or a stuck request, does not keep the process alive for ever.
        setTimeout(() => process.exit(EXIT.failed), 15_000).unref();
        endpoint.close().then(resolve, (error: unknown) => {
          console.error(`assent: error while stopping: ${(error as Error).message}`);
          process.exitCode = EXIT.failed;
          resolve();
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    console.log('assent: stopped');
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  },
};
