import { parseArgs } from 'node:util';
import { StartError, startPreview } from '../../preview/start.ts';
import { defaultContentFolder } from '../content-folder.ts';
import { EXIT, type Command } from '../command.ts';
import { untilStopped } from '../shutdown.ts';

export const start: Command = {
  name: 'start',
  summary: 'build everything and run the site, the endpoint and the demo (npm start)',
  help: `Usage: assent start [--port N] [--endpoint-port N] [--data DIR] [--content DIR]

What \`npm start\` runs: checks the documents, builds the policy site and the components, then
serves on 127.0.0.1 the site, the record endpoint (SQLite in the data folder) and a demo
partner page at /demo/ that embeds every component. Prints the addresses. Ctrl-C stops all.

  --port N            the site and the demo (default 4321, or any free port if taken)
  --endpoint-port N   the record endpoint (default 8787, or any free port if taken)
  --data DIR          where records are kept (default: data)
  --content DIR       the documents (default: $ASSENT_CONTENT_DIR, or content)

Exit codes: 0 stopped with Ctrl-C, 1 a step failed, 2 bad arguments.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '4321' },
        'endpoint-port': { type: 'string', default: '8787' },
        data: { type: 'string', default: 'data' },
        content: { type: 'string', default: defaultContentFolder() },
      },
    });
    let preview;
    try {
      preview = await startPreview({
        host: '127.0.0.1',
        sitePort: Number(values.port),
        endpointPort: Number(values['endpoint-port']),
        dataDir: values.data,
        contentDir: values.content,
        outDir: 'dist',
        log: (line) => console.log(line),
      });
    } catch (error) {
      if (error instanceof StartError) {
        console.error(`assent start: ${error.message}`);
        return EXIT.failed;
      }
      throw error;
    }
    console.log(`
Assent is running on 127.0.0.1:
  policy site       ${preview.siteUrl}
  demo partner page ${preview.demoUrl}
  record endpoint   ${preview.endpointUrl}  (records in ${values.data}/)
  operator token    ${preview.operatorToken}
                    curl -H "Authorization: Bearer ${preview.operatorToken}" ${preview.endpointUrl}/v1/export
  operator console  ${preview.endpointUrl}/console/  (sign in with the operator token)
Press Ctrl-C to stop.`);
    const code = await untilStopped(() => preview.close(), { log: (line) => console.log(`\n${line}`) });
    console.log('stopped');
    return code;
  },
};
