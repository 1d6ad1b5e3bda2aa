// Job conditions as upstream words them: Complete/Failed behind the interim SuccessCriteriaMet/FailureTarget, Suspended.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import { rfc3339 } from '../event-recorder.ts';

export const jobsRef: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true };
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';

/** The JobReason* constants of batch/v1. */
export const jobReasons = {
  podFailurePolicy: 'PodFailurePolicy',
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  maxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  failedIndexes: 'FailedIndexes',
  successPolicy: 'SuccessPolicy',
  completionsReached: 'CompletionsReached',
} as const;

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export function newJobCondition(type: string, status: string, reason: string, message: string, now: Date): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

/** The success condition: SuccessCriteriaMet first, Complete once every pod is gone or counted. */
export const successCondition = (now: Date) => newJobCondition('SuccessCriteriaMet', 'True', jobReasons.completionsReached, 'Reached expected number of succeeded pods', now);
/** The failure condition: FailureTarget first, Failed once every pod is gone or counted. */
export const failureCondition = (reason: string, message: string, now: Date) => newJobCondition('FailureTarget', 'True', reason, message, now);

export const findCondition = (conditions: JobCondition[] | undefined, type: string) => conditions?.find((c) => c.type === type);

/** True when the Job has a Complete or Failed condition that is True (IsJobFinished). */
export function isJobFinished(job: KObject): boolean {
  return !!(job.status?.conditions as JobCondition[] | undefined)?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** ensureJobConditionStatus: replaces a differing condition, adds a missing one unless it would be False. */
export function ensureCondition(conditions: JobCondition[], type: string, status: string, reason: string, message: string, now: Date): [JobCondition[], boolean] {
  const i = conditions.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = conditions[i]!;
    if (c.status !== status || c.reason !== reason || c.message !== message) {
      const next = [...conditions];
      next[i] = newJobCondition(type, status, reason, message, now);
      return [next, true];
    }
    return [conditions, false];
  }
  if (status !== 'False') return [[...conditions, newJobCondition(type, status, reason, message, now)], true];
  return [conditions, false];
}
