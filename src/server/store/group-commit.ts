/**
 * Group commit: requests that arrive close together share one durable commit, so the cost of
 * making data durable (an fsync) is paid once per batch rather than once per record. Each
 * caller still gets its answer only after the batch holding its request has committed.
 *
 * The first request waits at most `windowMs` for company; while a commit runs, newcomers
 * queue for the next one. One commit runs at a time, which also keeps the chain in order.
 */
export interface Pending<TItem, TResult> {
  item: TItem;
  resolve(result: TResult): void;
  reject(error: unknown): void;
}

/** Commits a batch; returns, per item, its result or the error that item alone must get. */
export type CommitBatch<TItem, TResult> = (
  items: TItem[],
) => Promise<Array<TResult | Error>> | Array<TResult | Error>;

export class GroupCommit<TItem, TResult> {
  readonly #commit: CommitBatch<TItem, TResult>;
  readonly #windowMs: number;
  #queue: Array<Pending<TItem, TResult>> = [];
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #running: Promise<void> | undefined;

  constructor(commit: CommitBatch<TItem, TResult>, windowMs: number) {
    this.#commit = commit;
    this.#windowMs = windowMs;
  }

  submit(item: TItem): Promise<TResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves when everything submitted so far has been committed or failed. */
  async drain(): Promise<void> {
    this.#clearTimer();
    while (this.#running || this.#queue.length > 0) {
      if (!this.#running) void this.#run();
      await this.#running;
    }
  }

  #schedule(): void {
    if (this.#timer || this.#running) return;
    const fire = () => {
      this.#timer = undefined;
      void this.#run();
    };
    this.#timer = this.#windowMs > 0 ? setTimeout(fire, this.#windowMs) : setImmediate(fire);
  }

  #clearTimer(): void {
    if (!this.#timer) return;
    if (this.#windowMs > 0) clearTimeout(this.#timer as NodeJS.Timeout);
    else clearImmediate(this.#timer as NodeJS.Immediate);
    this.#timer = undefined;
  }

  async #run(): Promise<void> {
    if (this.#running || this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#running = (async () => {
      try {
        const results = await this.#commit(batch.map((p) => p.item));
        batch.forEach((pending, i) => {
          const result = results[i];
          if (result instanceof Error) pending.reject(result);
          else pending.resolve(result as TResult);
        });
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    })();
    await this.#running;
    this.#running = undefined;
    // Whatever arrived during the commit has waited long enough: commit it now.
    if (this.#queue.length > 0) void this.#run();
  }
}
