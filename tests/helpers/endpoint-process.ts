/**
 * A real endpoint process (`assent serve` in a child Node), for tests that kill it, restart it
 * or run two at once: it listens on a free port and is ready once it says where.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from './paths.ts';
import { manifestFile, PAGE_ORIGIN } from './records.ts';

export interface EndpointProcess {
  url: string;
  process: ChildProcess;
  /** The exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

export interface EndpointProcessOptions {
  dataDir: string;
  databaseUrl?: string;
  operatorToken: string;
  /** Added to the process's environment (besides a fixed HMAC key and a silent log). */
  env?: Record<string, string>;
}

export function startEndpointProcess(options: EndpointProcessOptions): Promise<EndpointProcess> {
  const child = spawn(
    process.execPath,
    [
      join(projectRoot, 'src/cli/assent.ts'),
      'serve',
      '--port',
      '0',
      '--data',
      options.dataDir,
      ...(options.databaseUrl ? ['--database', options.databaseUrl] : []),
      '--manifest',
      manifestFile,
      '--allow-origin',
      PAGE_ORIGIN,
      '--operator-token',
      options.operatorToken,
      '--rate-limit',
      '0',
    ],
    {
      env: {
        ...process.env,
        ASSENT_LOG_LEVEL: 'silent',
        ASSENT_HMAC_SECRET: 'cd'.repeat(32),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^assent: listening on (\S+)/.exec(line);
      if (match) resolve({ url: match[1]!, process: child, exited });
    });
    void exited.then((code) => reject(new Error(`the endpoint exited (${code}) before listening`)));
  });
}
