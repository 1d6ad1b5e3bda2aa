// CustomResourceDefinition status conditions (NamesAccepted, Established, Terminating), set as upstream's helpers do.
import { nowTimestamp } from '../../../registry/store.ts';
import type { CRDCondition, CustomResourceDefinition } from './types.ts';

export function findCondition(crd: CustomResourceDefinition, type: string): CRDCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

/** Sets or updates a condition; lastTransitionTime moves only when the status changes. */
export function setCondition(crd: CustomResourceDefinition, next: CRDCondition): void {
  const status = (crd.status ??= {});
  const conditions = (status.conditions ??= []);
  const now = nowTimestamp();
  const existing = conditions.find((c) => c.type === next.type);
  if (!existing) {
    conditions.push({ type: next.type, status: next.status, lastTransitionTime: now, reason: next.reason, message: next.message });
    return;
  }
  if (existing.status !== next.status || !existing.lastTransitionTime) existing.lastTransitionTime = now;
  existing.status = next.status;
  existing.reason = next.reason;
  existing.message = next.message;
}

export function removeCondition(crd: CustomResourceDefinition, type: string): void {
  if (crd.status?.conditions) crd.status.conditions = crd.status.conditions.filter((c) => c.type !== type);
}

/** Same status, reason and message (IsCRDConditionEquivalent ignores the transition time). */
export function conditionEquivalent(a: CRDCondition | undefined, b: CRDCondition | undefined): boolean {
  if (!a || !b) return a === b;
  return a.type === b.type && a.status === b.status && a.reason === b.reason && a.message === b.message;
}
