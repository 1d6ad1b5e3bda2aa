// podutil.UpdatePodCondition: replace a pod condition by type, keeping its transition time while its status stays.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Sets `condition` (with lastProbeTime null unless given) in `status.conditions`, in place. Returns whether anything
 * the condition says changed, which decides whether upstream writes the pod status at all.
 */
export function updatePodCondition(status: Json, condition: Json, now: string): boolean {
  const next = { ...condition, lastProbeTime: condition.lastProbeTime ?? null, lastTransitionTime: now };
  const conditions: Json[] = Array.isArray(status.conditions) ? status.conditions : [];
  const i = conditions.findIndex((c) => c?.type === condition.type);
  if (i < 0) {
    status.conditions = [...conditions, next];
    return true;
  }
  const old = conditions[i];
  if (next.status === old.status) next.lastTransitionTime = old.lastTransitionTime ?? null;
  const same =
    next.status === old.status &&
    (next.reason ?? '') === (old.reason ?? '') &&
    (next.message ?? '') === (old.message ?? '') &&
    (next.lastProbeTime ?? null) === (old.lastProbeTime ?? null) &&
    (next.lastTransitionTime ?? null) === (old.lastTransitionTime ?? null);
  conditions[i] = next;
  status.conditions = conditions;
  return !same;
}
