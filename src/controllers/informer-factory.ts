// One shared informer per group/version/resource, so every controller watching a resource shares one list+watch and cache.
import type { KubeClient, ResourceRef } from '../client/client.ts';
import { Informer } from '../client/informer.ts';
import type { Logger } from '../server/logger.ts';
import { errorMessage } from './controller.ts';
import { refKey } from './discovery.ts';

const retryMs = 1000;

export class InformerFactory {
  readonly #client: KubeClient;
  readonly #log: Logger;
  readonly #informers = new Map<string, Informer>();
  readonly #started = new Set<string>();
  readonly #retries = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(client: KubeClient, log: Logger) {
    this.#client = client;
    this.#log = log;
  }

  informerFor(ref: ResourceRef): Informer {
    const key = refKey(ref);
    let inf = this.#informers.get(key);
    if (!inf) {
      inf = new Informer(this.#client, { group: ref.group, version: ref.version, resource: ref.resource, kind: ref.kind, namespaced: ref.namespaced });
      this.#informers.set(key, inf);
    }
    return inf;
  }

  get size(): number {
    return this.#informers.size;
  }

  has(ref: ResourceRef): boolean {
    return this.#informers.has(refKey(ref));
  }

  /**
   * Starts every informer not yet started, in parallel, and resolves once each has listed (synced) or failed its
   * first list; a failed one is retried in the background and logged, so one broken resource does not stall the rest.
   */
  async start(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const [key, inf] of this.#informers) {
      if (this.#started.has(key)) continue;
      this.#started.add(key);
      pending.push(this.#startOne(key, inf));
    }
    await Promise.all(pending);
  }

  async #startOne(key: string, inf: Informer): Promise<void> {
    try {
      await inf.start();
    } catch (e) {
      if (this.#stopped) return;
      this.#log.error('informer failed to start, retrying', { resource: key, error: errorMessage(e) });
      const t = setTimeout(() => {
        this.#retries.delete(t);
        if (!this.#stopped) void this.#startOne(key, inf);
      }, retryMs);
      this.#retries.add(t);
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#retries) clearTimeout(t);
    this.#retries.clear();
    for (const inf of this.#informers.values()) inf.stop();
  }
}
