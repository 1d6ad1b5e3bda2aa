// The controller abstraction: informer handlers only enqueue keys, workers pull them and run a level-based reconcile.
import type { KObject } from '../apiserver/registry/kobject.ts';
import type { KubeClient } from '../client/client.ts';
import type { InformerHandlers } from '../client/informer.ts';
import { WorkQueue } from '../client/work-queue.ts';
import type { Logger } from '../server/logger.ts';
import { isConflict } from './api-errors.ts';

/** The part of KubeClient controllers use; a narrow type so tests can pass an in-memory fake. */
export type ControllerClient = Pick<KubeClient, 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'request'>;

/** The part of an Informer controllers use: a cache to read and change notifications to subscribe to. */
export interface SharedInformer {
  on(h: InformerHandlers): void;
  get(key: string): KObject | undefined;
  list(): KObject[];
}

export interface ReconcileResult {
  /** Process the key again after this many milliseconds even if nothing changes. */
  requeueAfter?: number;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

export interface ControllerOptions {
  workers?: number;
  log: Logger;
}

/** How long stop() waits for in-flight reconciles before giving up on them. */
const stopGraceMs = 2000;
/**
 * Conflicts (409: the object changed since it was read) are the routine price of optimistic concurrency: the
 * retry reads the new version. Upstream's deployment controller logs errors at V(2) below this many retries.
 */
export const quietConflictRetries = 15;

/** The error or one of its causes is a 409 Conflict. */
function isConflictError(e: unknown): boolean {
  for (let c: unknown = e, depth = 0; c !== undefined && depth < 5; c = (c as { cause?: unknown } | null)?.cause, depth++) {
    if (isConflict(c)) return true;
  }
  return false;
}

/**
 * Runs `reconcile` for keys taken from a work queue: success forgets the key's failure history (and honours
 * requeueAfter), an error re-adds it with exponential back-off (logged as an error unless it is a routine
 * conflict). A key is never processed by two workers at once.
 */
export class Controller {
  readonly name: string;
  readonly queue = new WorkQueue();
  readonly #reconcile: Reconcile;
  readonly #workers: number;
  readonly #log: Logger;
  readonly #running: Promise<void>[] = [];
  #stopped = false;

  constructor(name: string, reconcile: Reconcile, opts: ControllerOptions) {
    this.name = name;
    this.#reconcile = reconcile;
    this.#workers = opts.workers ?? 1;
    this.#log = opts.log;
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Starts the workers and returns at once. */
  run(): void {
    if (this.#running.length || this.#stopped) return;
    for (let i = 0; i < this.#workers; i++) this.#running.push(this.#work());
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      if (this.#stopped) {
        this.queue.done(key);
        return;
      }
      try {
        const r = await this.#reconcile(key);
        this.queue.forget(key);
        if (r?.requeueAfter !== undefined) this.queue.addAfter(key, r.requeueAfter);
      } catch (e) {
        if (!this.#stopped) {
          const fields = { controller: this.name, key, error: errorMessage(e) };
          if (isConflictError(e) && this.queue.numRequeues(key) < quietConflictRetries) this.#log.debug('reconcile conflict, requeued', fields);
          else this.#log.error('reconcile failed', fields);
          this.queue.addRateLimited(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** Shuts the queue down and waits (briefly) for the workers to finish what they are doing. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.queue.shutdown();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => {
      timer = setTimeout(r, stopGraceMs);
    });
    await Promise.race([Promise.all(this.#running), grace]);
    clearTimeout(timer);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The cache key of a namespaced object, as informers build them. */
export const namespacedKey = (namespace: string, name: string): string => `${namespace}/${name}`;
