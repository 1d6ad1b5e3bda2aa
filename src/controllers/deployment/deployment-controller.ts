// The Deployment controller: owns ReplicaSets by selector and drives them through rollouts, scaling, pauses and rollbacks, as upstream's.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.ts';
import type { Logger } from '../../server/logger.ts';
import { Controller, errorMessage, namespacedKey, type ControllerClient, type ReconcileResult, type SharedInformer } from '../controller.ts';
import type { EventSink } from '../event-recorder.ts';
import { claimObjects, recheckDeletion } from '../pods/controller-ref-manager.ts';
import { controllerOf } from '../pods/pod-state.ts';
import { replicaSetsRef } from '../replicaset/replicaset-status.ts';
import { deploymentsRef, getCondition, hasProgressDeadline, newCondition, reasons, setCondition } from './deployment-util.ts';
import { rolloutRecreate } from './recreate.ts';
import { rollback } from './rollback.ts';
import { rolloutRolling } from './rolling.ts';
import { getAllReplicaSetsAndSyncRevision, getRollbackTo, isScalingEvent, syncDeploymentStatus, syncOnly, updateDeploymentStatus, type SyncContext } from './sync.ts';

export interface DeploymentControllerOptions {
  client: ControllerClient;
  deployments: SharedInformer;
  replicaSets: SharedInformer;
  pods: SharedInformer;
  events: EventSink;
  log: Logger;
  workers?: number;
  now?: () => Date;
}

const keyOf = (o: KObject) => namespacedKey(o.metadata.namespace ?? '', o.metadata.name!);

function selectorOf(o: KObject): Selector | undefined {
  try {
    return selectorFromLabelSelector(o.spec?.selector);
  } catch {
    return undefined;
  }
}

export class DeploymentController {
  readonly controller: Controller;
  readonly #client: ControllerClient;
  readonly #deployments: SharedInformer;
  readonly #replicaSets: SharedInformer;
  readonly #pods: SharedInformer;
  readonly #ctx: SyncContext;

  constructor(o: DeploymentControllerOptions) {
    this.#client = o.client;
    this.#deployments = o.deployments;
    this.#replicaSets = o.replicaSets;
    this.#pods = o.pods;
    this.controller = new Controller('deployment', (k) => this.sync(k), { log: o.log, workers: o.workers ?? 5 });
    const now = o.now ?? (() => new Date());
    this.#ctx = {
      client: o.client,
      events: o.events,
      replicaSets: o.replicaSets,
      log: o.log,
      now,
      enqueueAfter: (d, ms) => this.controller.queue.addAfter(keyOf(d), ms),
      enqueueRateLimited: (d) => this.controller.queue.addRateLimited(keyOf(d)),
    };
    const enqueue = (d: KObject) => this.controller.enqueue(keyOf(d));
    o.deployments.on({ add: enqueue, update: enqueue, delete: enqueue });
    o.replicaSets.on({ add: (rs) => this.#addReplicaSet(rs), update: (rs, old) => this.#updateReplicaSet(rs, old), delete: (rs) => this.#deleteReplicaSet(rs) });
    o.pods.on({ delete: (p) => this.#deletePod(p) });
  }

  // ---- handlers: they only enqueue Deployment keys ----

  #resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): KObject | undefined {
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.#deployments.get(namespacedKey(namespace ?? '', ref.name));
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments whose selector matches an orphan ReplicaSet's labels (getDeploymentsForReplicaSet). */
  #matching(rs: KObject): KObject[] {
    return this.#deployments.list().filter((d) => {
      if (d.metadata.namespace !== rs.metadata.namespace) return false;
      const sel = selectorOf(d);
      return !!sel && !sel.isEmpty() && sel.matches(rs.metadata.labels);
    });
  }

  #addReplicaSet(rs: KObject): void {
    if (rs.metadata.deletionTimestamp) return this.#deleteReplicaSet(rs);
    const ref = controllerOf(rs);
    if (ref) {
      const d = this.#resolve(rs.metadata.namespace, ref);
      if (d) this.controller.enqueue(keyOf(d));
      return;
    }
    for (const d of this.#matching(rs)) this.controller.enqueue(keyOf(d));
  }

  #updateReplicaSet(rs: KObject, old: KObject): void {
    if (rs.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const ref = controllerOf(rs);
    const oldRef = controllerOf(old);
    const refChanged = JSON.stringify(ref) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const d = this.#resolve(old.metadata.namespace, oldRef);
      if (d) this.controller.enqueue(keyOf(d));
    }
    if (ref) {
      const d = this.#resolve(rs.metadata.namespace, ref);
      if (d) this.controller.enqueue(keyOf(d));
      return;
    }
    const labelsChanged = JSON.stringify(rs.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.#matching(rs)) this.controller.enqueue(keyOf(d));
  }

  #deleteReplicaSet(rs: KObject): void {
    const d = this.#resolve(rs.metadata.namespace, controllerOf(rs));
    if (d) this.controller.enqueue(keyOf(d));
  }

  /** A Recreate rollout waits for the old pods to be gone: each deletion may be the last one. */
  #deletePod(pod: KObject): void {
    const rs = this.#resolvePodRS(pod);
    const d = rs && this.#resolve(rs.metadata.namespace, controllerOf(rs));
    if (d?.spec?.strategy?.type === 'Recreate') this.controller.enqueue(keyOf(d));
  }

  #resolvePodRS(pod: KObject): KObject | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.#replicaSets.get(namespacedKey(pod.metadata.namespace ?? '', ref.name));
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  // ---- sync ----

  async sync(key: string): Promise<ReconcileResult | void> {
    const cached = this.#deployments.get(key);
    if (!cached) return;
    const d = structuredClone(cached);
    const ctx = this.#ctx;
    const sel = d.spec?.selector;
    if (sel && !sel.matchLabels && !sel.matchExpressions) {
      ctx.events.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
        await updateDeploymentStatus(ctx, d);
      }
      return;
    }
    const rsList = await this.#claimReplicaSets(d);
    const podMap = this.#podMap(d, rsList);
    if (d.metadata.deletionTimestamp) {
      // Being deleted: only the status follows (syncStatusOnly).
      const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
      return syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
    }
    await this.#checkPausedConditions(d);
    if (d.spec?.paused) return syncOnly(ctx, d, rsList);
    if (getRollbackTo(d) !== undefined) return rollback(ctx, d, rsList);
    if (await isScalingEvent(ctx, d, rsList)) return syncOnly(ctx, d, rsList);
    switch (d.spec?.strategy?.type) {
      case 'Recreate':
        return rolloutRecreate(ctx, d, rsList, podMap);
      case 'RollingUpdate':
        return rolloutRolling(ctx, d, rsList);
      default:
        throw new Error(`unexpected deployment strategy type: ${d.spec?.strategy?.type}`);
    }
  }

  /** The Deployment's ReplicaSets after adopting matching orphans and releasing ones that stopped matching. */
  async #claimReplicaSets(d: KObject): Promise<KObject[]> {
    const selector = selectorOf(d);
    if (!selector) throw new Error(`deployment ${keyOf(d)} has invalid label selector: ${errorMessage(d.spec?.selector)}`);
    const inNamespace = this.#replicaSets.list().filter((rs) => rs.metadata.namespace === d.metadata.namespace);
    const claimed = await claimObjects(inNamespace, {
      client: this.#client,
      ref: replicaSetsRef,
      owner: d,
      selector,
      canAdopt: recheckDeletion(this.#client, deploymentsRef, d),
    });
    return claimed.map((rs) => structuredClone(rs));
  }

  /** The Deployment's pods grouped by the uid of their ReplicaSet. */
  #podMap(d: KObject, rsList: KObject[]): Map<string, KObject[]> {
    const map = new Map<string, KObject[]>(rsList.map((rs) => [rs.metadata.uid!, []]));
    const selector = selectorOf(d);
    for (const p of this.#pods.list()) {
      if (p.metadata.namespace !== d.metadata.namespace || !selector?.matches(p.metadata.labels)) continue;
      const ref = controllerOf(p);
      if (ref && map.has(ref.uid)) map.get(ref.uid)!.push(p);
    }
    return map;
  }

  /** Progressing becomes Unknown with DeploymentPaused / DeploymentResumed, so a pause never counts against the deadline. */
  async #checkPausedConditions(d: KObject): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === reasons.timedOut) return;
    const pausedCond = cond?.reason === reasons.paused;
    const now = this.#ctx.now();
    d.status ??= {};
    if (d.spec?.paused && !pausedCond) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', now));
    } else if (!d.spec?.paused && pausedCond) {
      setCondition(d.status, newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', now));
    } else return;
    await updateDeploymentStatus(this.#ctx, d);
  }
}
