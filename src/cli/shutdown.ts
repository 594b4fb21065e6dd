/**
 * Graceful shutdown for the commands that run servers (`assent serve`, `assent start`): on
 * SIGINT or SIGTERM, close what runs (requests under way finish, their records are committed),
 * then resolve with the exit code. A second signal, or a close that takes longer than
 * `timeoutMs`, ends the process at once with exit code 1: an operator who presses Ctrl-C twice,
 * or an orchestrator whose grace period ends, must not wait on a stuck request.
 *
 *   const code = await untilStopped(() => endpoint.close(), { log: (l) => console.log(`assent: ${l}`) });
 *
 * The one place that handles these signals. It does what `close-with-grace` does for a
 * signal, but hands the exit code back instead of calling `process.exit` itself, so that a
 * command prints its last line and returns like every other command, and tests drive it with
 * their own signals; errors thrown elsewhere still end the process loudly rather than as a
 * quiet graceful close.
 */
import { EXIT } from './command.ts';

export interface StopOptions {
  /** Longest wait for `close` before giving up (default 15 s, within Kubernetes' default 30 s grace). */
  timeoutMs?: number;
  log?: (line: string) => void;
  /** For tests: where signals come from and how the process ends. */
  signals?: NodeJS.EventEmitter;
  exit?: (code: number) => void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function untilStopped(close: () => Promise<void>, options: StopOptions = {}): Promise<number> {
  const {
    timeoutMs = 15_000,
    log = (line: string) => console.log(line),
    signals = process,
    exit = (code: number) => process.exit(code),
  } = options;
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: string) => {
      if (stopping) {
        log(`${signal} again, stopping now`);
        exit(EXIT.failed);
        return;
      }
      stopping = true;
      log(`${signal}, finishing requests under way`);
      const timer = setTimeout(() => {
        log(`still not stopped after ${timeoutMs / 1000} s, stopping now`);
        exit(EXIT.failed);
      }, timeoutMs);
      timer.unref();
      close().then(
        () => finish(timer, EXIT.ok),
        (error: unknown) => {
          log(`error while stopping: ${(error as Error).message}`);
          finish(timer, EXIT.failed);
        },
      );
    };
    const finish = (timer: NodeJS.Timeout, code: number) => {
      clearTimeout(timer);
      for (const signal of SIGNALS) signals.off(signal, onSignal);
      resolve(code);
    };
    for (const signal of SIGNALS) signals.on(signal, onSignal);
  });
}
