import { StartError, startPreview } from '../../preview/start.ts';
import { EXIT, type Command } from '../command.ts';
import { PREVIEW_OPTIONS_HELP, previewOptions, runningMessage } from '../preview-command.ts';
import { untilStopped } from '../shutdown.ts';

export const start: Command = {
  name: 'start',
  summary: 'build everything and run the site, the endpoint and the demo (npm start)',
  help: `Usage: assent start [--port N] [--endpoint-port N] [--data DIR] [--content DIR]

What \`npm start\` runs: checks the documents, builds the policy site and the components, then
serves on 127.0.0.1 the site, the record endpoint (SQLite in the data folder) and a demo
partner page at /demo/ that embeds every component. Prints the addresses. Ctrl-C stops all.

${PREVIEW_OPTIONS_HELP}`,
  async run(args) {
    const options = previewOptions(args);
    let preview;
    try {
      preview = await startPreview({ ...options, outDir: 'dist', log: (line) => console.log(line) });
    } catch (error) {
      if (error instanceof StartError) {
        console.error(`assent start: ${error.message}`);
        return EXIT.failed;
      }
      throw error;
    }
    console.log(runningMessage('Assent', preview, options));
    const code = await untilStopped(() => preview.close(), { log: (line) => console.log(`\n${line}`) });
    console.log('stopped');
    return code;
  },
};
