// A deduplicating work queue of object keys with per-key exponential back-off, as client-go's rate-limited queue.

export class WorkQueue {
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #waiters: (() => void)[] = [];
  #shutdown = false;

  add(key: string): void {
    if (this.#shutdown) return;
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#queue.push(key);
    this.#waiters.shift()?.();
  }

  addAfter(key: string, ms: number): void {
    if (this.#shutdown) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      this.add(key);
    }, ms);
    this.#timers.add(t);
  }

  /** Re-adds with back-off: 5 ms doubling to 1000 s, as client-go's default item limiter. */
  addRateLimited(key: string): void {
    const n = this.#failures.get(key) ?? 0;
    this.#failures.set(key, n + 1);
    this.addAfter(key, Math.min(5 * 2 ** n, 1_000_000));
  }

  /** How many times the key was re-added with back-off since it was last forgotten. */
  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  async get(): Promise<string | undefined> {
    while (!this.#queue.length) {
      if (this.#shutdown) return undefined;
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    const key = this.#queue.shift()!;
    this.#queued.delete(key);
    this.#processing.add(key);
    return key;
  }

  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.delete(key)) this.add(key);
  }

  shutdown(): void {
    this.#shutdown = true;
    for (const t of this.#timers) clearTimeout(t);
    for (const w of this.#waiters) w();
    this.#waiters = [];
  }

  get length(): number {
    return this.#queue.length;
  }
}
