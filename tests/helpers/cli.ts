import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './paths.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `assent <args>` the way `npx assent` does, in the project folder. */
export function assent(args: string[], options: { env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [join(projectRoot, 'src/cli/assent.ts'), ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
