/**
 * A stricter limit for failed operator authentications than for records: an address that
 * sends too many wrong tokens is refused (429) for the rest of the window, even with the right
 * token, so that guessing the token gains nothing by continuing (OWASP ASVS 2.2.1, "anti-
 * automation"). Fixed windows per address, kept in memory: one process, one count.
 *
 *   const failures = new AuthFailures({ max: 10, windowMs: 15 * 60_000 });
 *   if (failures.retryAfter(ip) > 0) refuse(); else if (!tokenOk) failures.add(ip);
 */
export interface AuthFailureLimit {
  /** Failed authentications an address may make in one window. */
  max: number;
  windowMs: number;
}

/** 10 failures per address per 15 minutes; records get 600 a minute by default. */
export const OPERATOR_AUTH_FAILURES: AuthFailureLimit = { max: 10, windowMs: 15 * 60_000 };

/** Past this many addresses, expired windows are swept; past twice that, the oldest go. */
const SWEEP_AT = 10_000;

export class AuthFailures {
  readonly #limit: AuthFailureLimit;
  readonly #now: () => number;
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  constructor(limit: AuthFailureLimit = OPERATOR_AUTH_FAILURES, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
  }

  /** Seconds until `address` may try again; 0 when it may now. */
  retryAfter(address: string): number {
    const window = this.#windows.get(address);
    if (!window) return 0;
    const left = window.resetAt - this.#now();
    if (left <= 0) {
      this.#windows.delete(address);
      return 0;
    }
    return window.count >= this.#limit.max ? Math.ceil(left / 1000) : 0;
  }

  /** Counts a failed authentication from `address`. */
  add(address: string): void {
    const now = this.#now();
    const window = this.#windows.get(address);
    if (window && window.resetAt > now) {
      window.count += 1;
      return;
    }
    if (this.#windows.size >= SWEEP_AT) this.#sweep(now);
    this.#windows.set(address, { count: 1, resetAt: now + this.#limit.windowMs });
  }

  #sweep(now: number): void {
    for (const [address, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(address);
    // Under a spread-out flood, forget the oldest windows rather than grow without bound.
    for (const address of this.#windows.keys()) {
      if (this.#windows.size < SWEEP_AT / 2) break;
      this.#windows.delete(address);
    }
  }
}
