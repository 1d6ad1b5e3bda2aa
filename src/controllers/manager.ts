// The controller manager: builds the controllers over shared informers, starts them together and stops them in reverse.
import type { KubeClient, ResourceRef } from '../client/client.ts';
import type { Logger } from '../server/logger.ts';
import { errorMessage, type Controller } from './controller.ts';
import { discoverPreferredResources } from './discovery.ts';
import type { GarbageCollector } from './garbagecollector/garbage-collector.ts';
import { InformerFactory } from './informer-factory.ts';

const startDelayMs = 300;

export interface ControllerManagerOptions {
  /** The cluster CA certificate (PEM) published to every namespace as ConfigMap kube-root-ca.crt. */
  caCert: string;
  /** How often the garbage collector re-runs discovery for new resources, in ms (default 30 s; 0 disables). */
  gcResyncMs?: number;
}

export class ControllerManager {
  readonly #client: KubeClient;
  readonly #log: Logger;
  readonly #opts: ControllerManagerOptions;
  readonly #informers: InformerFactory;
  #controllers: Controller[] = [];
  #gc: GarbageCollector | undefined;
  #starting: Promise<void> | undefined;
  #stopped = false;

  constructor(client: KubeClient, log: Logger, options: ControllerManagerOptions) {
    this.#client = client;
    this.#log = log;
    this.#opts = options;
    this.#informers = new InformerFactory(client, log);
  }

  /**
   * Launches discovery, the informers and the controllers without waiting for the first lists: the API server
   * is ready at once, and each controller begins work as soon as its caches are synced (as upstream's
   * controllers do after WaitForCacheSync).
   */
  async start(): Promise<void> {
    // A moment's delay keeps the first lists of every resource (the garbage collector watches them all) off the
    // critical path of the API server's start; controllers catch up from their caches anyway.
    this.#starting = new Promise<void>((resolve) => setTimeout(resolve, startDelayMs)).then(() =>
      this.#stopped ? undefined : this.#startAll().catch((e) => this.#log.error('controller manager failed to start', { error: errorMessage(e) })),
    );
  }

  /** Resolves once the controllers run (their caches synced), or failed to start; at once if start() was not called. */
  async running(): Promise<void> {
    await this.#starting;
  }

  async #startAll(): Promise<void> {
    const t0 = performance.now();
    const client = this.#client;
    const log = this.#log;
    // The controllers' code loads here, after the API server is ready, not with the server's own modules.
    const { buildControllers } = await import('./controller-set.ts');
    if (this.#stopped) return;
    const { controllers, gc } = buildControllers({
      client,
      log,
      informerFor: (ref: ResourceRef) => this.#informers.informerFor(ref),
      startInformers: () => this.#informers.start(),
      caCert: this.#opts.caCert,
      gcResyncMs: this.#opts.gcResyncMs,
    });
    this.#gc = gc;
    try {
      gc.watchResources((await discoverPreferredResources(client)).resources);
    } catch (e) {
      // Without discovery the collector watches nothing yet; its periodic re-discovery fills in later.
      log.error('controller manager discovery failed', { error: errorMessage(e) });
    }

    // Informers list and open their watches in parallel; controllers only work from synced caches.
    await this.#informers.start();
    this.#controllers = controllers;
    for (const c of this.#controllers) c.run();
    gc.run();
    log.debug('controllers started', { ms: Math.round(performance.now() - t0), informers: this.#informers.size });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#starting;
    await Promise.all([...this.#controllers.map((c) => c.stop()), this.#gc?.stop()]);
    this.#informers.stop();
    this.#controllers = [];
    this.#gc = undefined;
  }
}
