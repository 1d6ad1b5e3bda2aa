// Per-key exponential back-off as client-go's flowcontrol.Backoff: the kubelet's crash-loop (10 s doubling to 5 min) and image pull back-offs.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly clock: Clock;
  readonly #entries = new Map<string, Entry>();

  constructor(initialMs: number, maxMs: number, clock: Clock = systemClock) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.clock = clock;
  }

  /** The current delay for the key (0 when it has none). */
  get(key: string): number {
    return this.#entries.get(key)?.backoffMs ?? 0;
  }

  /** Moves the key's delay on: the initial one for a new or expired key, else doubled up to the maximum. */
  next(key: string, eventTime: number): void {
    const e = this.#entries.get(key);
    if (!e || this.#expired(eventTime, e.lastUpdate)) {
      this.#entries.set(key, { backoffMs: this.initialMs, lastUpdate: this.clock.now() });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = this.clock.now();
  }

  /** Whether less than the current delay has passed since `eventTime`. */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.#entries.get(key);
    if (!e) return false;
    const now = this.clock.now();
    if (this.#expired(now, e.lastUpdate)) return false;
    return now - eventTime < e.backoffMs;
  }

  /** Whether less than the current delay has passed since the last update. */
  isInBackOffSinceUpdate(key: string, eventTime: number): boolean {
    const e = this.#entries.get(key);
    if (!e) return false;
    if (this.#expired(eventTime, e.lastUpdate)) return false;
    return eventTime - e.lastUpdate < e.backoffMs;
  }

  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops keys idle for twice the maximum delay. */
  gc(): void {
    const now = this.clock.now();
    for (const [k, e] of this.#entries) if (now - e.lastUpdate > 2 * this.maxMs) this.#entries.delete(k);
  }

  #expired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > 2 * this.maxMs;
  }
}

/** kubelet's crash-loop back-off: 10 s doubling to 5 min (MaxContainerBackOff). */
export const crashLoopInitialMs = 10_000;
export const crashLoopMaxMs = 300_000;

/** Go's time.Duration.String for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}
