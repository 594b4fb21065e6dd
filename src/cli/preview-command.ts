/**
 * What `assent start` and `assent dev` share: their options, and the lines that say where
 * everything runs.
 *
 *   const options = previewOptions(args);
 *   console.log(runningMessage('Assent', running, options.dataDir));
 */
import { parseArgs } from 'node:util';
import { defaultContentFolder } from './content-folder.ts';

export const PREVIEW_OPTIONS_HELP = `  --port N            the site (default 4321, or a free port if taken); the demo the next one
  --endpoint-port N   the record endpoint (default 8787, or any free port if taken)
  --data DIR          where records are kept (default: data)
  --content DIR       the documents (default: $ASSENT_CONTENT_DIR, or content)

Exit codes: 0 stopped with Ctrl-C, 1 a step failed, 2 bad arguments.`;

export interface PreviewOptions {
  host: string;
  sitePort: number;
  endpointPort: number;
  dataDir: string;
  contentDir: string;
}

export function previewOptions(args: string[]): PreviewOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '4321' },
      'endpoint-port': { type: 'string', default: '8787' },
      data: { type: 'string', default: 'data' },
      content: { type: 'string', default: defaultContentFolder() },
    },
  });
  return {
    host: '127.0.0.1',
    sitePort: Number(values.port),
    endpointPort: Number(values['endpoint-port']),
    dataDir: values.data,
    contentDir: values.content,
  };
}

export function runningMessage(
  title: string,
  running: { siteUrl: string; demoUrl: string; endpointUrl: string; operatorToken: string },
  options: PreviewOptions,
  siteNote = '',
): string {
  const { siteUrl, demoUrl, endpointUrl, operatorToken } = running;
  return `
${title} is running on ${options.host}:
  policy site       ${siteUrl}${siteNote}
  demo partner page ${demoUrl}
  record endpoint   ${endpointUrl}  (records in ${options.dataDir}/)
  operator token    ${operatorToken}
                    curl -H "Authorization: Bearer ${operatorToken}" ${endpointUrl}/v1/export
  operator console  ${endpointUrl}/console/  (sign in with the operator token)
Press Ctrl-C to stop.`;
}
