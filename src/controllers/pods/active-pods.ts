// Which pods a controller removes first when it has too many: upstream's ActivePods and ActivePodsWithRanks orderings.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { isPodReady, podReadyCondition, timeOf } from './pod-state.ts';

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const nodeOf = (p: KObject): string => p.spec?.nodeName ?? '';
const phaseOf = (p: KObject): number => phaseOrdinal[p.status?.phase ?? ''] ?? 0;
const readyTime = (p: KObject): number | undefined => (isPodReady(p) ? timeOf(podReadyCondition(p)?.lastTransitionTime) : undefined);

/** The pod-deletion-cost annotation as an int32; absent or invalid counts as 0. */
export function deletionCost(p: KObject): number {
  const v = p.metadata.annotations?.[deletionCostAnnotation];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function maxRestarts(p: KObject): [regular: number, sidecar: number] {
  let regular = 0;
  let sidecar = 0;
  for (const s of p.status?.containerStatuses ?? []) regular = Math.max(regular, s.restartCount ?? 0);
  const sidecars = new Set((p.spec?.initContainers ?? []).filter((c: KObject) => c.restartPolicy === 'Always').map((c: KObject) => c.name));
  for (const s of p.status?.initContainerStatuses ?? []) if (sidecars.has(s.name)) sidecar = Math.max(sidecar, s.restartCount ?? 0);
  return [regular, sidecar];
}

/** -1 when a sorts first: the one with more restarts; 0 when equal. */
function compareRestarts(a: KObject, b: KObject): number {
  const [ra, sa] = maxRestarts(a);
  const [rb, sb] = maxRestarts(b);
  if (ra !== rb) return ra > rb ? -1 : 1;
  if (sa !== sb) return sa > sb ? -1 : 1;
  return 0;
}

/** afterOrZero: the zero time first, then the later time first. */
function laterFirst(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined) return a === undefined ? -1 : 1;
  return a > b ? -1 : 1;
}

/** floor(log2(now - t in ns)), -1 for times not in the past, as logarithmicRankDiff buckets them. */
function logBucket(t: number, now: number): number {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/**
 * ActivePodsWithRanks.Less with PodDeletionCost and LogarithmicScaleDown on (their 1.33 defaults): unassigned,
 * then Pending < Unknown < Running, not ready, lower deletion cost, more pods doubled up on the node, ready
 * for less time, more restarts, newer. `rank` is the number of related active pods on the pod's node.
 */
export function compareForDeletion(a: KObject, b: KObject, rankA: number, rankB: number, now: number): number {
  if (nodeOf(a) !== nodeOf(b) && (!nodeOf(a) || !nodeOf(b))) return !nodeOf(a) ? -1 : 1;
  if (phaseOf(a) !== phaseOf(b)) return phaseOf(a) - phaseOf(b);
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
  if (rankA !== rankB) return rankB - rankA;
  const byUid = () => (a.metadata.uid ?? '') < (b.metadata.uid ?? '') ? -1 : (a.metadata.uid ?? '') > (b.metadata.uid ?? '') ? 1 : 0;
  if (isPodReady(a) && isPodReady(b)) {
    const ta = readyTime(a);
    const tb = readyTime(b);
    if (ta !== tb) {
      if (ta === undefined || tb === undefined) return laterFirst(ta, tb);
      const d = logBucket(ta, now) - logBucket(tb, now);
      return d === 0 ? byUid() : d;
    }
  }
  const r = compareRestarts(a, b);
  if (r) return r;
  const ca = timeOf(a.metadata.creationTimestamp);
  const cb = timeOf(b.metadata.creationTimestamp);
  if (ca !== cb) {
    if (ca === undefined || cb === undefined) return laterFirst(ca, cb);
    const d = logBucket(ca, now) - logBucket(cb, now);
    return d === 0 ? byUid() : d;
  }
  return 0;
}

/** ActivePods.Less (the Job controller's order): like the ranked one without cost, ranks or log buckets. */
export function compareActivePods(a: KObject, b: KObject): number {
  if (nodeOf(a) !== nodeOf(b) && (!nodeOf(a) || !nodeOf(b))) return !nodeOf(a) ? -1 : 1;
  if (phaseOf(a) !== phaseOf(b)) return phaseOf(a) - phaseOf(b);
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  if (isPodReady(a) && isPodReady(b)) {
    const ta = readyTime(a);
    const tb = readyTime(b);
    if (ta !== tb) return laterFirst(ta, tb);
  }
  const r = compareRestarts(a, b);
  if (r) return r;
  const ca = timeOf(a.metadata.creationTimestamp);
  const cb = timeOf(b.metadata.creationTimestamp);
  if (ca !== cb) return laterFirst(ca, cb);
  return 0;
}
