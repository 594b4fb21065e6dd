/**
 * Signed checkpoints as a store keeps them: what a writing store is told (origin, how often,
 * the signing key), the policy the append planner applies, and the timer that makes sure the
 * records of a quiet moment are covered within `everySeconds`: when records remain uncovered
 * after a commit, it commits an empty group once the time has come, and the planner signs.
 */
import type { ServerConfig } from '../config.ts';
import { checkpointDelay, type CheckpointPolicy, type LastCheckpoint } from './append-plan.ts';
import { signCheckpoint } from '../proof/signing.ts';
import { signingKeyFrom, type PortableSigningKey } from '../proof/signing-keys.ts';

export interface CheckpointSettings {
  origin: string;
  everyRecords: number;
  everySeconds: number;
  /** The current signing key, as plain data (it crosses into SQLite's writer thread). */
  key: PortableSigningKey;
}

/** The settings a configured endpoint signs with. */
export function checkpointSettings(
  config: Pick<ServerConfig, 'logOrigin' | 'checkpointEveryRecords' | 'checkpointEverySeconds'>,
  key: PortableSigningKey,
): CheckpointSettings {
  return {
    origin: config.logOrigin,
    everyRecords: config.checkpointEveryRecords,
    everySeconds: config.checkpointEverySeconds,
    key,
  };
}

export function checkpointPolicy(settings: CheckpointSettings): CheckpointPolicy {
  const key = signingKeyFrom(settings.key);
  return {
    origin: settings.origin,
    everyRecords: settings.everyRecords,
    everySeconds: settings.everySeconds,
    sign: (checkpoint) => signCheckpoint(checkpoint, key),
  };
}

export class CheckpointTimer {
  readonly #policy: Pick<CheckpointPolicy, 'everyRecords' | 'everySeconds'>;
  readonly #commitEmpty: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(policy: Pick<CheckpointPolicy, 'everyRecords' | 'everySeconds'>, commitEmpty: () => void) {
    this.#policy = policy;
    this.#commitEmpty = commitEmpty;
  }

  /** Called after every commit with what it left: the tree size and the last checkpoint. */
  after(size: number, last: LastCheckpoint | undefined): void {
    const delay = checkpointDelay(last, size, new Date().toISOString(), this.#policy);
    if (delay === undefined || this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#commitEmpty();
    }, delay + 5);
    this.#timer.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
