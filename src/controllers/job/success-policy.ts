// Whether an Indexed Job's succeeded indexes meet one of its successPolicy rules (succeededIndexes / succeededCount).
import { parseIndexes, totalIndexes, type Interval } from './index-intervals.ts';

/** batch/v1 SuccessPolicy. */
export interface SuccessPolicy {
  rules?: { succeededIndexes?: string; succeededCount?: number }[];
}

/** How many of the rule's indexes succeeded: the overlap of two ordered interval lists. */
function overlapCount(rule: readonly Interval[], succeeded: readonly Interval[]): number {
  let contains = 0;
  let r = 0;
  let s = 0;
  while (r < rule.length && s < succeeded.length) {
    const overlap = Math.min(rule[r]!.last, succeeded[s]!.last) - Math.max(rule[r]!.first, succeeded[s]!.first) + 1;
    if (overlap > 0) contains += overlap;
    if (succeeded[s]!.last < rule[r]!.last) s++;
    else if (succeeded[s]!.last > rule[r]!.last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains;
}

/** The SuccessCriteriaMet message ("Matched rules at index N") of the first rule met, or undefined. */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeeded: readonly Interval[]): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    if (rule.succeededIndexes != null) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      const contains = overlapCount(required, succeeded);
      if (contains === totalIndexes(required) || (rule.succeededCount != null && contains >= rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount != null && totalIndexes(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
