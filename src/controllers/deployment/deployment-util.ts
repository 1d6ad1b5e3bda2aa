// Deployment arithmetic and bookkeeping as upstream's deployment/util: fenceposts, revisions, annotations, conditions, new/old ReplicaSets.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import { rfc3339 } from '../event-recorder.ts';
import { controllerOf, timeOf } from '../pods/pod-state.ts';

export const deploymentsRef: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const rollbackToAnnotation = 'deprecated.deployment.rollback.to';
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
export const podTemplateHashLabel = 'pod-template-hash';
/** The controller's revHistoryLimitInChars: revision-history stops growing past this many characters. */
export const maxRevisionHistoryChars = 2000;
const maxInt32 = 2147483647;

export const reasons = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** An untyped status or template body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

// ---- replica counts ----

export const replicasOf = (o: KObject | undefined): number => (o ? (o.spec?.replicas ?? 1) : 0);
export const sumSpecReplicas = (rss: (KObject | undefined)[]): number => rss.reduce((n, rs) => n + replicasOf(rs), 0);
const sumStatus = (rss: (KObject | undefined)[], field: string): number => rss.reduce((n, rs) => n + (rs?.status?.[field] ?? 0), 0);
export const sumActualReplicas = (rss: (KObject | undefined)[]) => sumStatus(rss, 'replicas');
export const sumReadyReplicas = (rss: (KObject | undefined)[]) => sumStatus(rss, 'readyReplicas');
export const sumAvailableReplicas = (rss: (KObject | undefined)[]) => sumStatus(rss, 'availableReplicas');
/** ReplicaSets that want pods (controller.FilterActiveReplicaSets). */
export const activeReplicaSets = (rss: (KObject | undefined)[]): KObject[] => rss.filter((rs): rs is KObject => !!rs && replicasOf(rs) > 0);

// ---- strategy ----

export const isRollingUpdate = (d: KObject): boolean => d.spec?.strategy?.type === 'RollingUpdate';

/** intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down. */
export function valueFromIntOrPercent(v: number | string | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) {
    if (/^-?\d+$/.test(v)) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
    throw new Error(`invalid value ${JSON.stringify(v)}: strconv.Atoi: parsing ${JSON.stringify(v.replace(/%$/, ''))}: invalid syntax`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** maxSurge rounded up and maxUnavailable rounded down; both zero means one may be unavailable. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): [number, number] {
  const surge = valueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = valueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: KObject): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicasOf(d))[0];
}

export function maxUnavailable(d: KObject): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  return Math.min(resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicasOf(d))[1], replicasOf(d));
}

export const hasProgressDeadline = (d: KObject): boolean => d.spec?.progressDeadlineSeconds != null && d.spec.progressDeadlineSeconds !== maxInt32;
export const hasRevisionHistoryLimit = (d: KObject): boolean => d.spec?.revisionHistoryLimit != null && d.spec.revisionHistoryLimit !== maxInt32;

// ---- revisions and annotations ----

/** The revision annotation as a number; 0 when absent, NaN when unparsable. */
export function revisionOf(o: KObject): number {
  const v = o.metadata.annotations?.[revisionAnnotation];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
}

export function maxRevision(rss: KObject[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (!Number.isNaN(v) && v > max) max = v;
  }
  return max;
}

/** The second highest revision (LastRevision): what `rollout undo` to revision 0 means. */
export function lastRevision(rss: KObject[]): number {
  let max = 0;
  let sec = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (Number.isNaN(v)) continue;
    if (v >= max) {
      sec = max;
      max = v;
    } else if (v > sec) sec = v;
  }
  return sec;
}

const annotationsToSkip = new Set([lastAppliedAnnotation, revisionAnnotation, revisionHistoryAnnotation, desiredReplicasAnnotation, maxReplicasAnnotation, rollbackToAnnotation]);
export const skipCopyAnnotation = (k: string): boolean => annotationsToSkip.has(k);

/** Copies the Deployment's annotations (but the skipped ones) onto the ReplicaSet; true when any changed. */
function copyDeploymentAnnotations(d: KObject, rs: KObject): boolean {
  let changed = false;
  rs.metadata.annotations ??= {};
  for (const [k, v] of Object.entries((d.metadata.annotations ?? {}) as Record<string, string>)) {
    if (skipCopyAnnotation(k) || rs.metadata.annotations[k] === v) continue;
    rs.metadata.annotations[k] = v;
    changed = true;
  }
  return changed;
}

export function setReplicasAnnotations(rs: KObject, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  let changed = false;
  if (rs.metadata.annotations[desiredReplicasAnnotation] !== String(desired)) {
    rs.metadata.annotations[desiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (rs.metadata.annotations[maxReplicasAnnotation] !== String(max)) {
    rs.metadata.annotations[maxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  return !a || a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision (keeping the older ones in
 * revision-history when an old ReplicaSet becomes new again, i.e. a rollback), and on creation records the
 * desired and maximum replicas. True when any annotation changed.
 */
export function setNewReplicaSetAnnotations(d: KObject, rs: KObject, newRevision: string, exists: boolean): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const had = Object.hasOwn(a, revisionAnnotation);
  const oldRevision: string = a[revisionAnnotation] ?? '';
  let oldInt = 0;
  if (oldRevision !== '') {
    if (!/^[+-]?\d+$/.test(oldRevision)) return false;
    oldInt = Number(oldRevision);
  }
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    a[revisionAnnotation] = newRevision;
    changed = true;
  }
  if (had && oldInt < newInt) {
    const history: string = a[revisionHistoryAnnotation] ?? '';
    const old = history.split(',');
    if (old[0]!.length === 0) a[revisionHistoryAnnotation] = oldRevision;
    else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > maxRevisionHistoryChars && start < old.length) {
        total -= old[start]!.length + 1;
        start++;
      }
      if (total <= maxRevisionHistoryChars) a[revisionHistoryAnnotation] = [...old.slice(start), oldRevision].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** The Deployment's annotations become the ReplicaSet's (but the skipped ones): a rollback to that ReplicaSet. */
export function setDeploymentAnnotationsTo(d: KObject, rs: KObject): void {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries((d.metadata.annotations ?? {}) as Record<string, string>)) if (skipCopyAnnotation(k)) kept[k] = v;
  for (const [k, v] of Object.entries((rs.metadata.annotations ?? {}) as Record<string, string>)) if (!skipCopyAnnotation(k)) kept[k] = v;
  d.metadata.annotations = kept;
}

export function setDeploymentRevision(d: KObject, revision: string): boolean {
  d.metadata.annotations ??= {};
  if (d.metadata.annotations[revisionAnnotation] === revision) return false;
  d.metadata.annotations[revisionAnnotation] = revision;
  return true;
}

function intAnnotation(rs: KObject, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}
export const desiredReplicasOf = (rs: KObject) => intAnnotation(rs, desiredReplicasAnnotation);

// ---- proportional scaling ----

/** How many replicas `rs` gains or loses in a proportional scale (GetProportion). */
export function proportion(rs: KObject, d: KObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: KObject, d: KObject): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = intAnnotation(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
  const size = (replicasOf(rs) * deploymentReplicas) / annotated;
  return roundHalfAway(size) - replicasOf(rs);
}

/** math.Round / integer.RoundToInt32: halves away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

export function isSaturated(d: KObject, rs: KObject | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasOf(rs);
  if (desired === undefined) return false;
  return replicasOf(rs) === replicasOf(d) && desired === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newRSNewReplicas(d: KObject, allRSs: (KObject | undefined)[], newRS: KObject): number {
  const type = d.spec?.strategy?.type;
  if (type === 'RollingUpdate') {
    const surge = valueFromIntOrPercent(d.spec.strategy.rollingUpdate?.maxSurge, replicasOf(d), true);
    const current = sumSpecReplicas(allRSs);
    const maxTotal = replicasOf(d) + surge;
    if (current >= maxTotal) return replicasOf(newRS);
    const up = Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
    return replicasOf(newRS) + up;
  }
  if (type === 'Recreate') return replicasOf(d);
  throw new Error(`deployment type ${type} isn't supported`);
}

// ---- finding ReplicaSets ----

const creation = (o: KObject): number => timeOf(o.metadata.creationTimestamp) ?? 0;

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreation(a: KObject, b: KObject): number {
  const d = creation(a) - creation(b);
  if (d) return d;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}

/** ReplicaSetsBySizeNewer (scaling up): larger first, then newer first. */
export const bySizeNewer = (a: KObject, b: KObject): number => replicasOf(b) - replicasOf(a) || byCreation(b, a);
/** ReplicaSetsBySizeOlder (scaling down): larger first, then older first. */
export const bySizeOlder = (a: KObject, b: KObject): number => replicasOf(b) - replicasOf(a) || byCreation(a, b);

/** ReplicaSetsByRevision: lower revision first, then older. */
export function byRevision(a: KObject, b: KObject): number {
  const ra = revisionOf(a) || 0;
  const rb = revisionOf(b) || 0;
  return ra !== rb ? ra - rb : byCreation(a, b);
}

/**
 * apiequality.Semantic.DeepEqual of two pod templates, ignoring the pod-template-hash label: absent, null, empty
 * lists and empty maps are the same.
 */
export function equalIgnoreHash(t1: Json | undefined, t2: Json | undefined): boolean {
  const strip = (t: Json | undefined) => {
    const c: Json = structuredClone(t ?? {});
    if (c.metadata?.labels) delete c.metadata.labels[podTemplateHashLabel];
    return canonical(c);
  };
  return strip(t1) === strip(t2);
}

function canonical(v: unknown): string {
  const norm = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.length ? x.map(norm) : undefined;
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) {
        const n = norm((x as Record<string, unknown>)[k]);
        if (n !== undefined && n !== null) out[k] = n;
      }
      return Object.keys(out).length ? out : undefined;
    }
    return x;
  };
  return JSON.stringify(norm(v) ?? null);
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's. */
export function findNewReplicaSet(d: KObject, rss: KObject[]): KObject | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: every other ReplicaSet (all), and those of them with replicas (required). */
export function findOldReplicaSets(d: KObject, rss: KObject[]): { required: KObject[]; all: KObject[] } {
  const newRS = findNewReplicaSet(d, rss);
  const all = rss.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid);
  return { required: all.filter((rs) => replicasOf(rs) !== 0), all };
}

/** The only active ReplicaSet, or the newest when none is active; undefined when several are active. */
export function findActiveOrLatest(newRS: KObject | undefined, oldRSs: KObject[]): KObject | undefined {
  if (!newRS && !oldRSs.length) return undefined;
  const sorted = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...sorted, newRS]);
  if (active.length === 0) return newRS ?? sorted[0];
  if (active.length === 1) return active[0];
  return undefined;
}

export const isControlledBy = (o: KObject, owner: KObject): boolean => controllerOf(o)?.uid === owner.metadata.uid;

// ---- conditions ----

export function newCondition(type: string, status: string, reason: string, message: string, now: Date): DeploymentCondition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: Json | undefined, type: string): DeploymentCondition | undefined {
  return (status?.conditions as DeploymentCondition[] | undefined)?.find((c) => c.type === type);
}

/** SetDeploymentCondition: no change for the same status and reason; the transition time stays for the same status. */
export function setCondition(status: Json, c: DeploymentCondition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c = { ...c, lastTransitionTime: cur.lastTransitionTime };
  status.conditions = [...((status.conditions as DeploymentCondition[] | undefined) ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: Json, type: string): void {
  const left = ((status.conditions as DeploymentCondition[] | undefined) ?? []).filter((x) => x.type !== type);
  if (left.length) status.conditions = left;
  else delete status.conditions;
}

/** DeploymentComplete: every desired replica updated and available, no old ones, the spec observed. */
export function deploymentComplete(d: KObject, s: Json): boolean {
  const want = replicasOf(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last seen. */
export function deploymentProgressing(d: KObject, s: Json): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: the Progressing condition was last updated more than progressDeadlineSeconds ago. */
export function deploymentTimedOut(d: KObject, s: Json, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === reasons.newRSAvailable) return false;
  if (c.reason === reasons.timedOut) return true;
  const from = timeOf(c.lastUpdateTime) ?? 0;
  return from + d.spec.progressDeadlineSeconds * 1000 < now.getTime();
}
