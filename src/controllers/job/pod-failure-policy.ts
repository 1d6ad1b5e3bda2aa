// Matching a failed pod against a Job's podFailurePolicy rules (exit codes, pod conditions) as upstream's matchPodFailurePolicy.
import type { KObject } from '../../apiserver/registry/kobject.ts';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  failJobMessage?: string;
  /** Whether the failure counts against backoffLimit (and backoffLimitPerIndex); false only for Ignore. */
  countFailed: boolean;
  /** The matched rule's action, if a rule matched. */
  action?: PodFailurePolicyAction;
}

/** batch/v1 PodFailurePolicy, as far as matching reads it. */
export interface PodFailurePolicy {
  rules?: { action?: string; onExitCodes?: ExitCodesRequirement; onPodConditions?: { type?: string; status?: string }[] }[];
}

interface ExitCodesRequirement {
  containerName?: string;
  operator?: string;
  values?: number[];
}

interface ContainerStatus {
  name?: string;
  state?: { terminated?: { exitCode?: number } };
}

function exitCodeMatches(code: number, req: ExitCodesRequirement): boolean {
  const values = req.values ?? [];
  if (req.operator === 'In') return values.includes(code);
  if (req.operator === 'NotIn') return !values.includes(code);
  return false;
}

/** The first terminated container with a non-zero exit code meeting the requirement; containers before init containers. */
function matchOnExitCodes(pod: KObject, req: ExitCodesRequirement): ContainerStatus | undefined {
  for (const list of [pod.status?.containerStatuses, pod.status?.initContainerStatuses] as (ContainerStatus[] | undefined)[]) {
    for (const s of list ?? []) {
      const t = s.state?.terminated;
      if (!t) continue;
      if (req.containerName != null && req.containerName !== s.name) continue;
      const code = t.exitCode ?? 0;
      if (code !== 0 && exitCodeMatches(code, req)) return s;
    }
  }
  return undefined;
}

/** The first pod condition (in the pod's order) that one of the patterns names with its status. */
function matchOnPodConditions(pod: KObject, patterns: { type?: string; status?: string }[]): { type?: string } | undefined {
  for (const c of (pod.status?.conditions ?? []) as { type?: string; status?: string }[]) {
    if (patterns.some((p) => p.type === c.type && p.status === c.status)) return c;
  }
  return undefined;
}

/** The first rule that matches decides; no policy or no match counts the failure. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: KObject): PodFailurePolicyMatch {
  if (!policy) return { countFailed: true };
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    let what: string | undefined;
    if (rule.onExitCodes) {
      const s = matchOnExitCodes(pod, rule.onExitCodes);
      if (!s) continue;
      what = `Container ${s.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${s.state!.terminated!.exitCode}`;
    } else if (rule.onPodConditions) {
      const c = matchOnPodConditions(pod, rule.onPodConditions);
      if (!c) continue;
      what = `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${c.type}`;
    } else continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'FailIndex':
        return { countFailed: true, action: 'FailIndex' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { failJobMessage: `${what} matching FailJob rule at index ${index}`, countFailed: true, action: 'FailJob' };
    }
    // An unknown action falls through to the next rule, as upstream's switch does.
  }
  return { countFailed: true };
}
