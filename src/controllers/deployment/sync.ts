// Deployment syncing shared by every strategy (upstream's sync.go): the new ReplicaSet and revisions, scaling, history cleanup, status.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { Logger } from '../../server/logger.ts';
import { isAlreadyExists, isNamespaceTerminating, isNotFound } from '../api-errors.ts';
import { errorMessage, namespacedKey, type ControllerClient, type SharedInformer } from '../controller.ts';
import type { EventSink } from '../event-recorder.ts';
import { controllerRef } from '../pods/pod-control.ts';
import { controllerOf } from '../pods/pod-state.ts';
import { replicaSetsRef } from '../replicaset/replicaset-status.ts';
import {
  activeReplicaSets,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  deploymentsRef,
  desiredReplicasOf,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  type Json,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  podTemplateHashLabel,
  proportion,
  reasons,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  revisionAnnotation,
  rollbackToAnnotation,
  setCondition,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  sumActualReplicas,
  sumAvailableReplicas,
  sumReadyReplicas,
  sumSpecReplicas,
} from './deployment-util.ts';
import { computeHash } from './pod-template-hash.ts';

/** What the strategy functions need from the controller. */
export interface SyncContext {
  client: ControllerClient;
  events: EventSink;
  replicaSets: SharedInformer;
  log: Logger;
  now(): Date;
  enqueueAfter(d: KObject, ms: number): void;
  enqueueRateLimited(d: KObject): void;
}

/** Writes the Deployment through /status (with its annotations, as upstream's status strategy keeps them). */
export async function updateDeploymentStatus(ctx: SyncContext, d: KObject): Promise<KObject> {
  const body = structuredClone(d);
  for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) {
    if (!body.status?.[k]) delete body.status?.[k];
  }
  const stored = await ctx.client.update(deploymentsRef, body, 'status');
  // Later writes in this sync build on what was stored.
  d.metadata.resourceVersion = stored.metadata.resourceVersion;
  return stored;
}

export const getRollbackTo = (d: KObject): string | undefined => d.metadata.annotations?.[rollbackToAnnotation];

/**
 * The new ReplicaSet (created when `create` and missing) and all old ones, with the new one's annotations and the
 * Deployment's revision brought up to date (getAllReplicaSetsAndSyncRevision).
 */
export async function getAllReplicaSetsAndSyncRevision(ctx: SyncContext, d: KObject, rsList: KObject[], create: boolean): Promise<{ newRS?: KObject; oldRSs: KObject[] }> {
  const { all: oldRSs } = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(ctx, d, rsList, oldRSs, create);
  return { newRS, oldRSs };
}

async function getNewReplicaSet(ctx: SyncContext, d: KObject, rsList: KObject[], oldRSs: KObject[], create: boolean): Promise<KObject | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);
  const now = ctx.now();
  if (existing) {
    const rsCopy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const minReadySecondsNeedsUpdate = (rsCopy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadySecondsNeedsUpdate) {
      rsCopy.spec.minReadySeconds = d.spec?.minReadySeconds ?? 0;
      if (!rsCopy.spec.minReadySeconds) delete rsCopy.spec.minReadySeconds;
      return await ctx.client.update(replicaSetsRef, rsCopy);
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[revisionAnnotation] ?? '');
    d.status ??= {};
    if (hasProgressDeadline(d) && !d.status.conditions?.some((c: KObject) => c.type === 'Progressing')) {
      setCondition(d.status, newCondition('Progressing', 'True', reasons.foundNewRS, `Found new replica set "${rsCopy.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await updateDeploymentStatus(ctx, d);
    return rsCopy;
  }
  if (!create) return undefined;

  const template = structuredClone(d.spec?.template ?? {});
  const hash = computeHash(d.spec?.template, d.status?.collisionCount);
  template.metadata ??= {};
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [podTemplateHashLabel]: hash };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [podTemplateHashLabel]: hash };
  const newRS: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [controllerRef(d)],
      labels: template.metadata.labels,
    },
    spec: {
      replicas: 0,
      ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
      selector,
      template,
    },
  };
  const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec.replicas = count;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);

  let created: KObject;
  let alreadyExists = false;
  try {
    created = await ctx.client.create(replicaSetsRef, d.metadata.namespace, newRS);
  } catch (e) {
    if (isAlreadyExists(e)) {
      alreadyExists = true;
      const rs = ctx.replicaSets.get(namespacedKey(d.metadata.namespace!, newRS.metadata.name!));
      if (!rs) throw e;
      if (controllerOf(rs)?.uid === d.metadata.uid && equalIgnoreHash(d.spec?.template, rs.spec?.template)) {
        created = structuredClone(rs);
      } else {
        // A hash collision: count it, so the next sync hashes differently, and fail this one.
        d.status ??= {};
        d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
        try {
          await updateDeploymentStatus(ctx, d);
          ctx.log.debug('hash collision, bumped collisionCount', { deployment: `${d.metadata.namespace}/${d.metadata.name}`, collisionCount: d.status.collisionCount });
        } catch {
          // The error returned below requeues the Deployment anyway.
        }
        throw e;
      }
    } else if (isNamespaceTerminating(e)) {
      throw e;
    } else {
      const msg = `Failed to create new replica set "${newRS.metadata.name}": ${errorMessage(e)}`;
      if (hasProgressDeadline(d)) {
        d.status ??= {};
        setCondition(d.status, newCondition('Progressing', 'False', reasons.failedRSCreate, msg, now));
        await updateDeploymentStatus(ctx, d).catch(() => undefined);
      }
      ctx.events.event(d, 'Warning', reasons.failedRSCreate, msg);
      throw e;
    }
  }
  if (!alreadyExists && count > 0) ctx.events.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${count}`);
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    d.status ??= {};
    setCondition(d.status, newCondition('Progressing', 'True', reasons.newReplicaSet, `Created new replica set "${created.metadata.name}"`, now));
    needsUpdate = true;
  }
  if (needsUpdate) await updateDeploymentStatus(ctx, d);
  return created;
}

/** Scales `rs` to `newScale` with upstream's ScalingReplicaSet event; returns the stored ReplicaSet. */
export async function scaleReplicaSetAndRecordEvent(ctx: SyncContext, rs: KObject, newScale: number, d: KObject): Promise<{ scaled: boolean; rs: KObject }> {
  if (replicasOf(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, newScale, d, replicasOf(rs) < newScale ? 'up' : 'down');
}

export async function scaleReplicaSet(ctx: SyncContext, rs: KObject, newScale: number, d: KObject, operation: string): Promise<{ scaled: boolean; rs: KObject }> {
  const sizeNeedsUpdate = replicasOf(rs) !== newScale;
  const max = replicasOf(d) + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return { scaled: false, rs };
  const oldScale = replicasOf(rs);
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, replicasOf(d), max);
  const stored = await ctx.client.update(replicaSetsRef, copy);
  if (sizeNeedsUpdate) ctx.events.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${stored.metadata.name} from ${oldScale} to ${newScale}`);
  return { scaled: sizeNeedsUpdate, rs: stored };
}

/** A Deployment whose replica count changed (not its template) is scaled, not rolled out (isScalingEvent). */
export async function isScalingEvent(ctx: SyncContext, d: KObject, rsList: KObject[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  for (const rs of activeReplicaSets([...oldRSs, newRS])) {
    const desired = desiredReplicasOf(rs);
    if (desired !== undefined && desired !== replicasOf(d)) return true;
  }
  return false;
}

/** Scaling and status only: for paused Deployments and scaling events (upstream's sync). */
export async function syncOnly(ctx: SyncContext, d: KObject, rsList: KObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await scale(ctx, d, newRS, oldRSs);
  if (d.spec?.paused && getRollbackTo(d) === undefined) await cleanupDeployment(ctx, oldRSs, d);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/**
 * Brings the ReplicaSets to the Deployment's size: the only active one (or the newest) takes all; a saturated new
 * one empties the old; otherwise a rolling Deployment's surplus or deficit is spread proportionally.
 */
export async function scale(ctx: SyncContext, d: KObject, newRS: KObject | undefined, oldRSs: KObject[]): Promise<void> {
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) {
    if (replicasOf(only) === replicasOf(d)) return;
    await scaleReplicaSetAndRecordEvent(ctx, only, replicasOf(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - sumSpecReplicas(all);
  let operation = '';
  if (toAdd > 0) {
    all.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = proportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name!, replicasOf(rs) + p);
      added += p;
    } else sizes.set(rs.metadata.name!, replicasOf(rs));
  }
  for (let i = 0; i < all.length; i++) {
    const rs = all[i]!;
    if (i === 0 && toAdd !== 0) sizes.set(rs.metadata.name!, Math.max(0, sizes.get(rs.metadata.name!)! + toAdd - added));
    await scaleReplicaSet(ctx, rs, sizes.get(rs.metadata.name!)!, d, operation);
  }
}

/** Deletes the oldest empty ReplicaSets beyond revisionHistoryLimit. */
export async function cleanupDeployment(ctx: SyncContext, oldRSs: KObject[], d: KObject): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - d.spec.revisionHistoryLimit;
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i]!;
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
    try {
      await ctx.client.delete(replicaSetsRef, rs.metadata.namespace, rs.metadata.name!);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** The Deployment's status from its ReplicaSets, with the Available condition (calculateStatus). */
export function calculateStatus(allRSs: (KObject | undefined)[], newRS: KObject | undefined, d: KObject, now: Date): Json {
  const available = sumAvailableReplicas(allRSs);
  const total = sumSpecReplicas(allRSs);
  const status: Json = {
    observedGeneration: d.metadata.generation,
    replicas: sumActualReplicas(allRSs),
    updatedReplicas: sumActualReplicas([newRS]),
    readyReplicas: sumReadyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined && d.status?.collisionCount !== null) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = structuredClone(d.status.conditions);
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', reasons.minimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', reasons.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Status as the API stores it: zero counts omitted. */
export function sameStatus(a: Json | undefined, b: Json | undefined): boolean {
  const norm = (s: Json | undefined) => {
    const c: Json = { ...(s ?? {}) };
    for (const k of Object.keys(c)) if (c[k] === 0 && k !== 'collisionCount') delete c[k];
    if (!c.conditions?.length) delete c.conditions;
    return JSON.stringify(Object.keys(c).sort().map((k) => [k, c[k]]));
  };
  return norm(a) === norm(b);
}

export async function syncDeploymentStatus(ctx: SyncContext, allRSs: (KObject | undefined)[], newRS: KObject | undefined, d: KObject): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d, ctx.now());
  if (sameStatus(d.status, status)) return;
  d.status = status;
  await updateDeploymentStatus(ctx, d);
}
