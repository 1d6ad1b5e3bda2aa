// How a Job reads its pods' failures: what counts as failed, when the Job or an index has failed, and which failed pod an index's replacement inherits its failure count from.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { hasIndex, type Interval } from './index-intervals.ts';
import {
  completionIndexOf,
  indexAbsoluteFailureCount,
  indexFailureCount,
  indexFailureCountAnnotation,
  indexIgnoredFailureCount,
  indexIgnoredFailureCountAnnotation,
  indexesOf,
} from './indexed-pods.ts';
import { finishTime } from './pod-failure-backoff.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';

/** Pods are replaced only once Failed (not while terminating): podReplacementPolicy Failed, or any podFailurePolicy. */
export function onlyReplaceFailedPods(job: KObject): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy != null;
}

/** Failed, or deleted before finishing (unless only Failed pods are replaced). */
export function isPodFailed(pod: KObject, job: KObject): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** Being deleted but not yet finished (controller.FilterTerminatingPods). */
export const isPodTerminating = (pod: KObject): boolean =>
  !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** With restartPolicy OnFailure, container restarts of running pods count against backoffLimit. */
export function pastBackoffLimitOnFailure(job: KObject, pods: KObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** getFailJobMessage: the message of the first failed pod a FailJob rule matches. */
export function failJobMessage(job: KObject, pods: KObject[]): string | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p).failJobMessage;
    if (m !== undefined) return m;
  }
  return undefined;
}

/** Failed pods that count against backoffLimit (those an Ignore rule matches do not). */
export function countedFailures(job: KObject, failed: KObject[]): number {
  if (!job.spec?.podFailurePolicy) return failed.length;
  return failed.filter((p) => matchPodFailurePolicy(job.spec.podFailurePolicy, p).countFailed).length;
}

/** isIndexFailed: a FailIndex rule matched, or a counted failure used up backoffLimitPerIndex. */
export function isIndexFailed(job: KObject, pod: KObject): boolean {
  if (!isPodFailed(pod, job)) return false;
  let counted = true;
  if (job.spec?.podFailurePolicy) {
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
    if (m.action === 'FailIndex') return true;
    counted = m.countFailed;
  }
  return counted && indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/**
 * getPodsWithDelayedDeletionPerIndex: per index still to run, its latest failed pod. That pod keeps its finalizer
 * until the replacement exists, so the replacement can carry the index's failure count on.
 */
export function podsWithDelayedDeletionPerIndex(o: {
  job: KObject;
  pods: KObject[];
  activePods: KObject[];
  succeeded: readonly Interval[];
  failed: readonly Interval[];
  isCandidate: (p: KObject) => boolean;
}): Map<number, KObject> {
  const active = new Set(indexesOf(o.activePods));
  const completions = o.job.spec?.completions ?? 0;
  const out = new Map<number, KObject>();
  for (const p of o.pods) {
    if (!o.isCandidate(p) || !isPodFailed(p, o.job)) continue;
    const ix = completionIndexOf(p);
    if (ix === undefined || ix >= completions) continue;
    if (hasIndex(o.succeeded, ix) || hasIndex(o.failed, ix) || active.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(p) && !(finishTime(p) < finishTime(last)))) out.set(ix, p);
  }
  return out;
}

/** The failure-count annotations of an index's next pod, from the failed pod it replaces (addIndexFailureCountAnnotation). */
export function indexFailureCountAnnotations(job: KObject, replaced: KObject | undefined): Record<string, string> {
  let failures = 0;
  let ignored = 0;
  if (replaced) {
    failures = indexFailureCount(replaced);
    ignored = indexIgnoredFailureCount(replaced);
    if (!job.spec?.podFailurePolicy || matchPodFailurePolicy(job.spec.podFailurePolicy, replaced).countFailed) failures++;
    else ignored++;
  }
  return { [indexFailureCountAnnotation]: String(failures), ...(ignored > 0 ? { [indexIgnoredFailureCountAnnotation]: String(ignored) } : {}) };
}
