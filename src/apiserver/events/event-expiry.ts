// Deletes Events an hour (kube-apiserver's --event-ttl) after they were last seen, so a crash-looping pod's events do not grow the datastore for ever.
import type { KObject } from '../registry/kobject.ts';
import type { Store } from '../registry/store.ts';
import { systemContext } from '../registry/request-context.ts';
import { StatusError } from '../../machinery/status-error.ts';

/** kube-apiserver's default --event-ttl. */
export const defaultEventTtlMs = 60 * 60_000;

export interface EventExpiryOptions {
  /** The core/v1 events store (events.k8s.io shares it). */
  store(): Store | undefined;
  ttlMs: number;
  /** How often to sweep; default a tenth of the TTL, at most a minute. */
  intervalMs?: number;
  now?: () => number;
  log(msg: string, fields?: Record<string, unknown>): void;
}

interface EventTimes {
  metadata: KObject['metadata'];
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { lastObservedTime?: string | null } | null;
}

/**
 * When an Event was last seen: the latest of its own timestamps. Upstream attaches a lease to every write, so its TTL
 * counts from the last update; an Event's writers bump lastTimestamp or series.lastObservedTime on each update.
 */
export function lastSeen(e: EventTimes): number {
  const times = [e.metadata.creationTimestamp, e.firstTimestamp, e.lastTimestamp, e.eventTime, e.series?.lastObservedTime]
    .filter((t): t is string => typeof t === 'string' && t !== '')
    .map((t) => Date.parse(t))
    .filter((n) => !Number.isNaN(n));
  return times.length ? Math.max(...times) : 0;
}

export class EventExpiry {
  readonly #o: EventExpiryOptions;
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(options: EventExpiryOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#o.ttlMs <= 0) return;
    const every = this.#o.intervalMs ?? Math.min(60_000, Math.max(1_000, this.#o.ttlMs / 10));
    this.#timer = setInterval(() => void this.sweep(), every);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Deletes the expired Events; returns how many. An Event written meanwhile (another resourceVersion) is kept. */
  async sweep(): Promise<number> {
    const store = this.#o.store();
    if (this.#running || !store) return 0;
    this.#running = true;
    let deleted = 0;
    try {
      const deadline = (this.#o.now ?? Date.now)() - this.#o.ttlMs;
      let cont: string | undefined;
      do {
        const page = await store.list(undefined, { limit: 500, continue: cont });
        cont = page.continue;
        for (const e of page.items) {
          if (lastSeen(e as EventTimes) > deadline) continue;
          try {
            await store.delete(e.metadata.namespace ?? undefined, e.metadata.name ?? '', { preconditions: { resourceVersion: e.metadata.resourceVersion ?? undefined } }, systemContext());
            deleted++;
          } catch (err) {
            if (!(err instanceof StatusError) || (err.code !== 404 && err.code !== 409)) throw err;
          }
        }
      } while (cont);
    } catch (e) {
      this.#o.log('expiring events failed', { error: String(e) });
    } finally {
      this.#running = false;
    }
    return deleted;
  }
}
