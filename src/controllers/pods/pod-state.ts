// What workload controllers read off a pod: active, ready, available (minReadySeconds), as upstream's podutil does.
import type { KObject } from '../../apiserver/registry/kobject.ts';

/** Neither finished nor being deleted (controller.IsPodActive). */
export function isPodActive(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function podReadyCondition(pod: KObject): { status?: string; lastTransitionTime?: string } | undefined {
  return (pod.status?.conditions as { type?: string; status?: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: KObject): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Ready for at least minReadySeconds at `now` (podutil.IsPodAvailable). */
export function isPodAvailable(pod: KObject, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = timeOf(podReadyCondition(pod)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now.getTime();
}

/** A metav1.Time as epoch ms; undefined for the zero time. */
export function timeOf(t: unknown): number | undefined {
  if (typeof t !== 'string' || !t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The object's controller owner reference (metav1.GetControllerOf). */
export function controllerOf(obj: KObject): { apiVersion: string; kind: string; name: string; uid: string } | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function isTerminating(pod: KObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}
