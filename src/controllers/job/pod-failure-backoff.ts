// The delay before a Job replaces failed pods (upstream's backoffStore): 10 s doubling per failure since the last success, at most 10 min; per index with backoffLimitPerIndex.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { timeOf } from '../pods/pod-state.ts';
import { indexAbsoluteFailureCount } from './indexed-pods.ts';

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
export const defaultPodFailureBackoffMs = 10_000;
export const maxPodFailureBackoffMs = 600_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/**
 * getFinishedTime: the latest container termination when every container has one, else the time the pod's
 * Ready condition turned False, else the deletion time less the grace period, else its creation.
 */
export function finishTime(pod: KObject): number {
  const statuses = (pod.status?.containerStatuses ?? []) as { state?: { terminated?: { finishedAt?: string } } }[];
  let latest: number | undefined;
  let all = statuses.length > 0;
  for (const s of statuses) {
    const t = timeOf(s.state?.terminated?.finishedAt);
    if (t === undefined) {
      all = false;
      break;
    }
    if (latest === undefined || t > latest) latest = t;
  }
  if (all && latest !== undefined) return latest;
  const ready = (pod.status?.conditions as { type?: string; status?: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? timeOf(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = timeOf(pod.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return timeOf(pod.metadata.creationTimestamp) ?? 0;
}

export class BackoffStore {
  readonly #records = new Map<string, BackoffRecord>();

  /** The record after this sync's newly finished pods: a success resets the count, each failure after it adds one. */
  next(key: string, newSucceeded: KObject[], newFailed: KObject[]): BackoffRecord {
    const prev = this.#records.get(key) ?? { failuresAfterLastSuccess: 0 };
    if (!newFailed.length) return newSucceeded.length ? { failuresAfterLastSuccess: 0 } : prev;
    const failedTimes = newFailed.map(finishTime).sort((a, b) => a - b);
    if (!newSucceeded.length) return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + newFailed.length, lastFailureTime: failedTimes[failedTimes.length - 1] };
    const lastSuccess = Math.max(...newSucceeded.map(finishTime));
    const after = failedTimes.filter((t) => t > lastSuccess);
    if (!after.length) return { failuresAfterLastSuccess: 0 };
    return { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] };
  }

  save(key: string, r: BackoffRecord): void {
    this.#records.set(key, r);
  }

  delete(key: string): void {
    this.#records.delete(key);
  }
}

/** getRemainingTimeForFailuresCount: how long to wait after `failures` failures, the last at `lastFailure`. */
function remainingFor(failures: number, lastFailure: number | undefined, now: number): number {
  if (failures === 0 || lastFailure === undefined) return 0;
  const backoff = Math.min(defaultPodFailureBackoffMs * 2 ** (failures - 1), maxPodFailureBackoffMs);
  const elapsed = now - lastFailure;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** How long to wait before creating pods again (backoffRecord.getRemainingTime). */
export function remainingBackoff(r: BackoffRecord, now: number): number {
  return remainingFor(r.failuresAfterLastSuccess, r.lastFailureTime, now);
}

/** getRemainingTimePerIndex: the wait before an index is retried, from the index's last failed pod. */
export function remainingBackoffForIndex(lastFailedPod: KObject | undefined, now: number): number {
  if (!lastFailedPod) return 0;
  return remainingFor(indexAbsoluteFailureCount(lastFailedPod) + 1, finishTime(lastFailedPod), now);
}
