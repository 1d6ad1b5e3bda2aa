// The delay before a Job replaces failed pods (upstream's backoffStore): 10 s doubling per failure since the last success, at most 6 min.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { timeOf } from '../pods/pod-state.ts';

export const defaultPodFailureBackoffMs = 10_000;
export const maxPodFailureBackoffMs = 360_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** When a pod finished: the latest container termination, else its Ready condition's last change, else now. */
export function finishTime(pod: KObject, now: number): number {
  let latest: number | undefined;
  for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const t = timeOf(s.state?.terminated?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  if (latest !== undefined) return latest;
  const ready = (pod.status?.conditions as { type?: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === 'Ready');
  return timeOf(ready?.lastTransitionTime) ?? now;
}

export class BackoffStore {
  readonly #records = new Map<string, BackoffRecord>();

  /** The record after this sync's newly finished pods: a success resets the count, each failure adds one. */
  next(key: string, newSucceeded: KObject[], newFailed: KObject[], now: number): BackoffRecord {
    const prev = this.#records.get(key) ?? { failuresAfterLastSuccess: 0 };
    if (!newSucceeded.length && !newFailed.length) return prev;
    const lastSuccess = Math.max(-Infinity, ...newSucceeded.map((p) => finishTime(p, now)));
    const failedAfter = newFailed.filter((p) => finishTime(p, now) > lastSuccess);
    if (!newSucceeded.length) {
      if (!newFailed.length) return prev;
      const last = Math.max(...newFailed.map((p) => finishTime(p, now)));
      return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + newFailed.length, lastFailureTime: last };
    }
    if (!failedAfter.length) return { failuresAfterLastSuccess: 0 };
    return { failuresAfterLastSuccess: failedAfter.length, lastFailureTime: Math.max(...failedAfter.map((p) => finishTime(p, now))) };
  }

  save(key: string, r: BackoffRecord): void {
    this.#records.set(key, r);
  }

  delete(key: string): void {
    this.#records.delete(key);
  }
}

/** How long to wait before creating pods again (backoffRecord.getRemainingTime). */
export function remainingBackoff(r: BackoffRecord, now: number): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureTime === undefined) return 0;
  const backoff = Math.min(defaultPodFailureBackoffMs * 2 ** (r.failuresAfterLastSuccess - 1), maxPodFailureBackoffMs);
  const elapsed = now - r.lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}
