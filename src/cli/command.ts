/**
 * A CLI command: its name, one line for the command list, the full `--help` text, and what it
 * does. `run` returns the exit code.
 */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(args: string[]): Promise<number>;
}

/** Exit codes shared by every command (documented in README). */
export const EXIT = {
  ok: 0,
  /** The check found problems: lint errors, a broken chain. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
} as const;

export class UsageError extends Error {}

/** True when the arguments ask for help. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
