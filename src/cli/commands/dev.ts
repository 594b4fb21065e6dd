import { startDev } from '../../preview/dev.ts';
import { type Command } from '../command.ts';
import { PREVIEW_OPTIONS_HELP, previewOptions, runningMessage } from '../preview-command.ts';
import { untilStopped } from '../shutdown.ts';

export const dev: Command = {
  name: 'dev',
  summary: 'live preview for editing: astro dev, the demo and the endpoint (npm run dev)',
  help: `Usage: assent dev [--port N] [--endpoint-port N] [--data DIR] [--content DIR]

What \`npm run dev\` runs: the policy site under Astro's dev server, where saving a document
updates its open page and shows what lint says about it, beside the demo partner page and the
record endpoint (SQLite in the data folder), which both read the dev server's manifest.
Prints the addresses. Ctrl-C stops all.

${PREVIEW_OPTIONS_HELP}`,
  async run(args) {
    const options = previewOptions(args);
    // A live preview talks to nobody but 127.0.0.1.
    process.env.ASTRO_TELEMETRY_DISABLED ??= '1';
    process.env.ASTRO_DISABLE_UPDATE_CHECK ??= 'true';
    const running = await startDev(options);
    console.log(
      runningMessage(
        'Assent (npm run dev)',
        running,
        options,
        `  (follows your edits to ${options.contentDir}/)`,
      ),
    );
    const code = await untilStopped(() => running.close(), { log: (line) => console.log(`\n${line}`) });
    console.log('stopped');
    return code;
  },
};
