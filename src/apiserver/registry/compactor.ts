// Periodic compaction like kube-apiserver's: each tick forgets history older than the revision seen at the previous tick.
import type { Backend } from '../../storage/backend.ts';

export interface CompactorOptions {
  backend: Backend;
  intervalMs: number;
  /** Told the new compacted revision, so caches stop replaying from before it. */
  onCompacted(revision: number): void;
  log(msg: string, fields?: Record<string, unknown>): void;
}

export class Compactor {
  readonly #o: CompactorOptions;
  #timer: NodeJS.Timeout | undefined;
  #previous = 0;
  #running = false;

  constructor(options: CompactorOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#o.intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.tick(), this.#o.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async tick(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      const current = await this.#o.backend.currentRevision();
      const target = this.#previous;
      this.#previous = current;
      if (target > (await this.#o.backend.compactedRevision())) {
        await this.#o.backend.compact(target);
        this.#o.onCompacted(target);
      }
    } catch (e) {
      this.#o.log('compaction failed', { error: String(e) });
    } finally {
      this.#running = false;
    }
  }
}
