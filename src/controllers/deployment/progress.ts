// The Progressing condition and progressDeadlineSeconds (upstream's progress.go): complete, progressing, timed out, and the requeue that notices a timeout.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { timeOf } from '../pods/pod-state.ts';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  reasons,
  removeCondition,
  setCondition,
  type DeploymentCondition,
  type Json,
} from './deployment-util.ts';
import { calculateStatus, sameStatus, updateDeploymentStatus, type SyncContext } from './sync.ts';

export async function syncRolloutStatus(ctx: SyncContext, allRSs: (KObject | undefined)[], newRS: KObject | undefined, d: KObject): Promise<void> {
  const now = ctx.now();
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const isComplete = status.replicas === status.updatedReplicas && current?.reason === reasons.newRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition('Progressing', 'True', reasons.newRSAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      let c = newCondition('Progressing', 'True', reasons.replicaSetUpdated, `${subject} is progressing.`, now);
      // Progress moves lastUpdateTime even with the same reason; the transition time stays while it is True.
      if (current) {
        if (current.status === 'True') c = { ...c, lastTransitionTime: current.lastTransitionTime };
        removeCondition(status, 'Progressing');
      }
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, newCondition('Progressing', 'False', reasons.timedOut, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  if (sameStatus(d.status, status)) {
    requeueStuckDeployment(ctx, d, status, now);
    return;
  }
  d.status = status;
  await updateDeploymentStatus(ctx, d);
}

/** A ReplicaFailure condition of the new ReplicaSet, else of an old one, as a Deployment condition. */
function replicaFailure(allRSs: (KObject | undefined)[], newRS: KObject | undefined): DeploymentCondition | undefined {
  const from = (rs: KObject | undefined) => {
    const c = (rs?.status?.conditions as DeploymentCondition[] | undefined)?.find((x) => x.type === 'ReplicaFailure');
    return c && { type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  };
  const n = from(newRS);
  if (n) return n;
  for (const rs of allRSs) {
    if (!rs || rs === newRS) continue;
    const c = from(rs);
    if (c) return c;
  }
  return undefined;
}

/** Looks again when the progress deadline would pass, so a stuck rollout is reported without any event. */
function requeueStuckDeployment(ctx: SyncContext, d: KObject, status: Json, now: Date): void {
  const current = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !current) return;
  if (deploymentComplete(d, status) || current.reason === reasons.timedOut) return;
  const after = (timeOf(current.lastUpdateTime) ?? 0) + d.spec.progressDeadlineSeconds * 1000 - now.getTime();
  if (after < 1000) ctx.enqueueRateLimited(d);
  else ctx.enqueueAfter(d, after + 1000);
}
