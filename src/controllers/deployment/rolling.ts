// The RollingUpdate strategy (upstream's rolling.go): grow the new ReplicaSet within maxSurge, shrink old ones within maxUnavailable.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { activeReplicaSets, byCreation, deploymentComplete, maxUnavailable, newRSNewReplicas, replicasOf, sumAvailableReplicas, sumSpecReplicas } from './deployment-util.ts';
import { syncRolloutStatus } from './progress.ts';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent, type SyncContext } from './sync.ts';

export async function rolloutRolling(ctx: SyncContext, d: KObject, rsList: KObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  const all = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(ctx, all, newRS!, d)) return syncRolloutStatus(ctx, all, newRS, d);
  if (await reconcileOldReplicaSets(ctx, all, activeReplicaSets(oldRSs), newRS!, d)) return syncRolloutStatus(ctx, all, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, all, newRS, d);
}

async function reconcileNewReplicaSet(ctx: SyncContext, all: (KObject | undefined)[], newRS: KObject, d: KObject): Promise<boolean> {
  if (replicasOf(newRS) === replicasOf(d)) return false;
  if (replicasOf(newRS) > replicasOf(d)) return (await scaleReplicaSetAndRecordEvent(ctx, newRS, replicasOf(d), d)).scaled;
  return (await scaleReplicaSetAndRecordEvent(ctx, newRS, newRSNewReplicas(d, all, newRS), d)).scaled;
}

async function reconcileOldReplicaSets(ctx: SyncContext, all: (KObject | undefined)[], oldRSs: KObject[], newRS: KObject, d: KObject): Promise<boolean> {
  if (sumSpecReplicas(oldRSs) === 0) return false;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpecReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  let cleaned: { oldRSs: KObject[]; count: number };
  let scaledDown: number;
  try {
    // Unhealthy old replicas go first: removing them cannot lower availability.
    cleaned = await cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown);
    scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(ctx, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  } catch {
    return false;
  }
  return cleaned.count + scaledDown > 0;
}

async function cleanupUnhealthyReplicas(ctx: SyncContext, oldRSs: KObject[], d: KObject, maxCleanup: number): Promise<{ oldRSs: KObject[]; count: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanup) break;
    const rs = sorted[i]!;
    const available = rs.status?.availableReplicas ?? 0;
    if (replicasOf(rs) === 0 || replicasOf(rs) === available) continue;
    const count = Math.min(maxCleanup - total, replicasOf(rs) - available);
    const target = replicasOf(rs) - count;
    if (target > replicasOf(rs)) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicasOf(rs)} -> ${target}`);
    sorted[i] = (await scaleReplicaSetAndRecordEvent(ctx, rs, target, d)).rs;
    total += count;
  }
  return { oldRSs: sorted, count: total };
}

async function scaleDownOldReplicaSetsForRollingUpdate(ctx: SyncContext, all: (KObject | undefined)[], oldRSs: KObject[], d: KObject): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = sumAvailableReplicas(all);
  if (available <= minAvailable) return 0;
  const wanted = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= wanted) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), wanted - total);
    await scaleReplicaSetAndRecordEvent(ctx, rs, replicasOf(rs) - count, d);
    total += count;
  }
  return total;
}
