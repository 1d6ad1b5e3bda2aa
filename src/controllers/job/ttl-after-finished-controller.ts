// Deletes finished Jobs ttlSecondsAfterFinished after they completed or failed (upstream's ttlafterfinished controller), pods going with them.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { Logger } from '../../server/logger.ts';
import { isNotFound } from '../api-errors.ts';
import { Controller, namespacedKey, type ControllerClient, type ReconcileResult, type SharedInformer } from '../controller.ts';
import { timeOf } from '../pods/pod-state.ts';
import { isJobFinished, jobsRef, type JobCondition } from './job-conditions.ts';

export interface TTLAfterFinishedOptions {
  client: ControllerClient;
  jobs: SharedInformer;
  log: Logger;
  now?: () => Date;
}

const needsCleanup = (j: KObject): boolean => j.spec?.ttlSecondsAfterFinished != null && isJobFinished(j);

/** When the Job finished: its Complete or Failed condition's transition time. */
export function jobFinishTime(j: KObject): number {
  const c = (j.status?.conditions as JobCondition[] | undefined)?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  const t = timeOf(c?.lastTransitionTime);
  if (t === undefined) throw new Error(`unable to find the time when the Job ${j.metadata.namespace}/${j.metadata.name} finished`);
  return t;
}

export class TTLAfterFinishedController {
  readonly controller: Controller;
  readonly #client: ControllerClient;
  readonly #jobs: SharedInformer;
  readonly #now: () => Date;

  constructor(o: TTLAfterFinishedOptions) {
    this.#client = o.client;
    this.#jobs = o.jobs;
    this.#now = o.now ?? (() => new Date());
    this.controller = new Controller('ttl-after-finished', (k) => this.sync(k), { log: o.log });
    const enqueue = (j: KObject) => {
      if (!j.metadata.deletionTimestamp && needsCleanup(j)) this.controller.enqueue(namespacedKey(j.metadata.namespace!, j.metadata.name!));
    };
    o.jobs.on({ add: enqueue, update: enqueue });
  }

  /** Milliseconds until the Job expires; <= 0 when it has. */
  #timeLeft(j: KObject): number {
    return jobFinishTime(j) + j.spec.ttlSecondsAfterFinished * 1000 - this.#now().getTime();
  }

  async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.#jobs.get(key);
    if (!cached || cached.metadata.deletionTimestamp || !needsCleanup(cached)) return;
    const left = this.#timeLeft(cached);
    if (left > 0) return { requeueAfter: left };
    // The TTL may have changed since the cache saw the Job: decide on a fresh read.
    let fresh: KObject;
    try {
      fresh = await this.#client.get(jobsRef, cached.metadata.namespace, cached.metadata.name!);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (fresh.metadata.deletionTimestamp || !needsCleanup(fresh)) return;
    const freshLeft = this.#timeLeft(fresh);
    if (freshLeft > 0) return { requeueAfter: freshLeft };
    try {
      await this.#client.delete(jobsRef, fresh.metadata.namespace, fresh.metadata.name!, {
        propagationPolicy: 'Foreground',
        preconditions: { resourceVersion: fresh.metadata.resourceVersion },
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
