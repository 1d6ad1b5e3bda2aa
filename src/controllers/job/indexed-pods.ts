// The pods of an Indexed Job: their completion index (annotation, label, env, hostname, name), per-index failure counts, which indexes to start and which duplicates to remove.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { compareActivePods } from '../pods/active-pods.ts';
import { mergeIntervals, sortedIndexes, withIndexes, type Interval } from './index-intervals.ts';

export const completionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
export const indexFailureCountAnnotation = 'batch.kubernetes.io/job-index-failure-count';
export const indexIgnoredFailureCountAnnotation = 'batch.kubernetes.io/job-index-ignored-failure-count';
export const completionIndexEnvName = 'JOB_COMPLETION_INDEX';
/** names.MaxGeneratedNameLength: 63 less the five random characters. */
const maxGeneratedNameLength = 58;
const maxInt32 = 2147483647;

export const isIndexedJob = (job: KObject): boolean => job.spec?.completionMode === 'Indexed';
export const hasBackoffLimitPerIndex = (job: KObject): boolean => job.spec?.backoffLimitPerIndex != null;

/** The pod's completion index from its annotation; undefined when missing, malformed or negative. */
export function completionIndexOf(pod: KObject): number | undefined {
  const v = pod.metadata.annotations?.[completionIndexAnnotation];
  if (typeof v !== 'string' || !/^[+-]?\d+$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A valid index for a Job of `completions` (getValidPodsWithFilter's test). */
export function validIndexOf(pod: KObject, completions: number): number | undefined {
  const ix = completionIndexOf(pod);
  return ix !== undefined && ix < completions ? ix : undefined;
}

/** `<job>-<index>-`, the job name cut so the prefix leaves room for the random suffix. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > maxGeneratedNameLength ? prefix.slice(0, maxGeneratedNameLength - suffix.length) + suffix : prefix;
}

/** Upstream's parseInt32 of the failure-count annotations: 0 when missing, malformed or out of range. */
function int32Annotation(pod: KObject, key: string): number {
  const v = pod.metadata.annotations?.[key];
  if (typeof v !== 'string' || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n < 0 || n > maxInt32 ? 0 : n;
}

export const indexFailureCount = (pod: KObject) => int32Annotation(pod, indexFailureCountAnnotation);
export const indexIgnoredFailureCount = (pod: KObject) => int32Annotation(pod, indexIgnoredFailureCountAnnotation);
/** Failures of the index so far, counted or ignored by the pod failure policy. */
export const indexAbsoluteFailureCount = (pod: KObject) => indexFailureCount(pod) + indexIgnoredFailureCount(pod);

/** The indexes of the pods that carry one. */
export function indexesOf(pods: readonly KObject[]): number[] {
  const out: number[] = [];
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (ix !== undefined) out.push(ix);
  }
  return sortedIndexes(out);
}

/**
 * firstPendingIndexes: the lowest `count` indexes below `completions` that no active pod runs and that have
 * neither succeeded nor failed for good; `busy` adds indexes whose pods are still terminating.
 */
export function firstPendingIndexes(
  o: { activePods: readonly KObject[]; succeeded: readonly Interval[]; failed?: readonly Interval[]; busy?: readonly KObject[] },
  count: number,
  completions: number,
): number[] {
  if (count === 0) return [];
  let nonPending = withIndexes(o.succeeded, indexesOf(o.activePods));
  if (o.busy) nonPending = withIndexes(nonPending, indexesOf(o.busy));
  if (o.failed) nonPending = mergeIntervals(nonPending, o.failed);
  const out: number[] = [];
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}

/**
 * appendDuplicatedIndexPodsForRemoval: pods without an index or with one beyond completions go, and of pods
 * sharing an index all but the one ActivePods ranks last. Returns what to remove and what is left.
 */
export function duplicatedIndexPods(pods: readonly KObject[], completions: number): { rm: KObject[]; left: KObject[] } {
  const rm: KObject[] = [];
  const left: KObject[] = [];
  const byIndex = new Map<number, KObject[]>();
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (ix === undefined || ix >= completions) rm.push(p);
    else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
    const same = [...byIndex.get(ix)!].sort(compareActivePods);
    rm.push(...same.slice(0, -1));
    left.push(same[same.length - 1]!);
  }
  return { rm, left };
}

/** The env var each container gets, read through the downward API from the index label (PodIndexLabel, GA). */
export function addCompletionIndexEnv(template: KObject): void {
  const spec = template.spec ?? {};
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.env ?? []).some((e: { name?: string }) => e.name === completionIndexEnvName)) continue;
    c.env = [...(c.env ?? []), { name: completionIndexEnvName, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${completionIndexAnnotation}']` } } }];
  }
}

/** Index annotation and label, hostname `<job>-<index>`, on a copy of the template for one pod. */
export function templateForIndex(template: KObject, jobName: string, index: number): KObject {
  const t = structuredClone(template);
  t.metadata ??= {};
  t.metadata.annotations = { ...(t.metadata.annotations ?? {}), [completionIndexAnnotation]: String(index) };
  t.metadata.labels = { ...(t.metadata.labels ?? {}), [completionIndexAnnotation]: String(index) };
  t.spec ??= {};
  t.spec.hostname = `${jobName}-${index}`;
  return t;
}

