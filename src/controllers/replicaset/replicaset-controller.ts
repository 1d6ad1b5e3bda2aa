// The ReplicaSet controller: keeps spec.replicas pods of the template alive, adopting and releasing pods by selector, as upstream's.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.ts';
import type { Logger } from '../../server/logger.ts';
import { isNamespaceTerminating, isNotFound } from '../api-errors.ts';
import { Controller, errorMessage, namespacedKey, type ControllerClient, type ReconcileResult, type SharedInformer } from '../controller.ts';
import type { EventSink } from '../event-recorder.ts';
import { compareForDeletion } from '../pods/active-pods.ts';
import { claimObjects, recheckDeletion } from '../pods/controller-ref-manager.ts';
import { Expectations } from '../pods/expectations.ts';
import { controllerRef, PodControl, podFromTemplate, podsRef, slowStartBatch, slowStartInitialBatchSize } from '../pods/pod-control.ts';
import { controllerOf, isPodActive, isPodReady } from '../pods/pod-state.ts';
import { calculateStatus, replicaSetsRef, updateReplicaSetStatus } from './replicaset-status.ts';

/** Upstream's BurstReplicas: at most this many pods created or deleted in one sync. */
export const burstReplicas = 500;

export interface ReplicaSetControllerOptions {
  client: ControllerClient;
  replicaSets: SharedInformer;
  pods: SharedInformer;
  events: EventSink;
  log: Logger;
  workers?: number;
  now?: () => Date;
}

const keyOf = (o: KObject) => namespacedKey(o.metadata.namespace ?? '', o.metadata.name!);

export class ReplicaSetController {
  readonly controller: Controller;
  readonly expectations: Expectations;
  readonly #client: ControllerClient;
  readonly #replicaSets: SharedInformer;
  readonly #pods: SharedInformer;
  readonly #podControl: PodControl;
  readonly #log: Logger;
  readonly #now: () => Date;

  constructor(o: ReplicaSetControllerOptions) {
    this.#client = o.client;
    this.#replicaSets = o.replicaSets;
    this.#pods = o.pods;
    this.#log = o.log;
    this.#now = o.now ?? (() => new Date());
    this.expectations = new Expectations(() => this.#now().getTime());
    this.#podControl = new PodControl(o.client, o.events);
    this.controller = new Controller('replicaset', (k) => this.sync(k), { log: o.log, workers: o.workers ?? 5 });
    o.replicaSets.on({
      add: (rs) => this.controller.enqueue(keyOf(rs)),
      update: (rs, old) => {
        if (rs.metadata.uid !== old.metadata.uid) this.expectations.delete(keyOf(old));
        this.controller.enqueue(keyOf(rs));
      },
      delete: (rs) => {
        this.expectations.delete(keyOf(rs));
        this.controller.enqueue(keyOf(rs));
      },
    });
    o.pods.on({ add: (p) => this.#addPod(p), update: (p, old) => this.#updatePod(p, old), delete: (p) => this.#deletePod(p) });
  }

  // ---- handlers: they only observe expectations and enqueue keys ----

  #resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): KObject | undefined {
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.#replicaSets.get(namespacedKey(namespace ?? '', ref.name));
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose selector matches an orphan pod's labels (GetPodReplicaSets). */
  #matching(pod: KObject): KObject[] {
    return this.#replicaSets.list().filter((rs) => {
      if (rs.metadata.namespace !== pod.metadata.namespace) return false;
      let sel: Selector;
      try {
        sel = selectorFromLabelSelector(rs.spec?.selector);
      } catch {
        return false;
      }
      return !sel.isEmpty() && sel.matches(pod.metadata.labels);
    });
  }

  #addPod(pod: KObject): void {
    if (pod.metadata.deletionTimestamp) return this.#deletePod(pod);
    const ref = controllerOf(pod);
    if (ref) {
      const rs = this.#resolve(pod.metadata.namespace, ref);
      if (!rs) return;
      this.expectations.creationObserved(keyOf(rs));
      this.controller.enqueue(keyOf(rs));
      return;
    }
    for (const rs of this.#matching(pod)) this.controller.enqueue(keyOf(rs));
  }

  #updatePod(pod: KObject, old: KObject): void {
    if (pod.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(pod.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (pod.metadata.deletionTimestamp) {
      this.#deletePod(pod);
      if (labelsChanged) this.#deletePod(old);
      return;
    }
    const ref = controllerOf(pod);
    const oldRef = controllerOf(old);
    const refChanged = JSON.stringify(ref) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const prev = this.#resolve(old.metadata.namespace, oldRef);
      if (prev) this.controller.enqueue(keyOf(prev));
    }
    if (ref) {
      const rs = this.#resolve(pod.metadata.namespace, ref);
      if (!rs) return;
      this.controller.enqueue(keyOf(rs));
      const minReady = rs.spec?.minReadySeconds ?? 0;
      // Availability comes with time, not with an event: look again once minReadySeconds have passed.
      if (!isPodReady(old) && isPodReady(pod) && minReady > 0) this.controller.queue.addAfter(keyOf(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.#matching(pod)) this.controller.enqueue(keyOf(rs));
  }

  #deletePod(pod: KObject): void {
    const rs = this.#resolve(pod.metadata.namespace, controllerOf(pod));
    if (!rs) return;
    this.expectations.deletionObserved(keyOf(rs), keyOf(pod));
    this.controller.enqueue(keyOf(rs));
  }

  // ---- sync ----

  async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.#replicaSets.get(key);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const rs = structuredClone(cached);
    const needsSync = this.expectations.satisfied(key);
    let selector: Selector;
    try {
      selector = selectorFromLabelSelector(rs.spec?.selector);
    } catch (e) {
      this.#log.error('invalid selector', { replicaSet: key, error: errorMessage(e) });
      return;
    }
    const namespace = rs.metadata.namespace!;
    // All pods of the namespace, so that owned pods that no longer match are found and released.
    const active = this.#pods.list().filter((p) => p.metadata.namespace === namespace && isPodActive(p));
    const pods = await claimObjects(active, {
      client: this.#client,
      ref: podsRef,
      owner: rs,
      selector,
      canAdopt: recheckDeletion(this.#client, replicaSetsRef, rs),
    });

    let manageError: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.#manageReplicas(pods, rs, key);
      } catch (e) {
        manageError = e;
      }
    }
    const now = this.#now();
    const updated = await updateReplicaSetStatus(this.#client, rs, calculateStatus(rs, pods, manageError, now));
    if (manageError) throw manageError;
    const minReady = updated.spec?.minReadySeconds ?? 0;
    const want = updated.spec?.replicas ?? 1;
    // A last line of defence against clock skew: look again once the ready pods should have become available.
    if (minReady > 0 && updated.status?.readyReplicas === want && (updated.status?.availableReplicas ?? 0) !== want) {
      return { requeueAfter: minReady * 1000 };
    }
  }

  async #manageReplicas(pods: KObject[], rs: KObject, key: string): Promise<void> {
    const namespace = rs.metadata.namespace!;
    const want = rs.spec?.replicas ?? 1;
    let diff = pods.length - want;
    if (diff < 0) {
      diff = Math.min(-diff, burstReplicas);
      this.expectations.expectCreations(key, diff);
      this.#log.debug('too few replicas', { replicaSet: key, need: want, creating: diff });
      const ref = controllerRef(rs);
      const { successes, error } = await slowStartBatch(diff, slowStartInitialBatchSize, async () => {
        try {
          await this.#podControl.createPod(namespace, podFromTemplate(rs.spec?.template ?? {}, rs, ref), rs);
        } catch (e) {
          // Creations in a terminating namespace fail anyway; nothing to report.
          if (!isNamespaceTerminating(e)) throw e;
        }
      });
      // The informer will never see the pods that were not attempted.
      for (let i = successes; i < diff; i++) this.expectations.creationObserved(key);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, burstReplicas);
      this.#log.debug('too many replicas', { replicaSet: key, need: want, deleting: diff });
      const toDelete = this.#podsToDelete(pods, this.#relatedPods(rs), diff);
      this.expectations.expectDeletions(key, toDelete.map(keyOf));
      const results = await Promise.allSettled(
        toDelete.map(async (pod) => {
          try {
            await this.#podControl.deletePod(namespace, pod.metadata.name!, rs);
          } catch (e) {
            this.expectations.deletionObserved(key, keyOf(pod));
            if (!isNotFound(e)) throw e;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /** Pods of every ReplicaSet with the same controller as `rs` (its Deployment's other ReplicaSets), each once. */
  #relatedPods(rs: KObject): KObject[] {
    const owner = controllerOf(rs);
    if (!owner) return [];
    const seen = new Set<string>();
    const related: KObject[] = [];
    for (const other of this.#replicaSets.list()) {
      if (other.metadata.namespace !== rs.metadata.namespace || controllerOf(other)?.uid !== owner.uid) continue;
      let sel: Selector;
      try {
        sel = selectorFromLabelSelector(other.spec?.selector);
      } catch {
        continue;
      }
      for (const p of this.#pods.list()) {
        if (p.metadata.namespace !== rs.metadata.namespace || !sel.matches(p.metadata.labels) || seen.has(p.metadata.uid!)) continue;
        seen.add(p.metadata.uid!);
        related.push(p);
      }
    }
    return related;
  }

  /** The `diff` pods to delete first, by upstream's ranking (pods doubled up on a node with related pods go first). */
  #podsToDelete(pods: KObject[], related: KObject[], diff: number): KObject[] {
    if (diff >= pods.length) return pods.slice(0, diff);
    const onNode = new Map<string, number>();
    for (const p of related) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
    const now = this.#now().getTime();
    const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
    ranked.sort((a, b) => compareForDeletion(a.pod, b.pod, a.rank, b.rank, now));
    return ranked.slice(0, diff).map((r) => r.pod);
  }
}
