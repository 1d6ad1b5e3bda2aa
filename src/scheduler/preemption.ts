// DefaultPreemption's PostFilter: after a FitError, find lower-priority pods whose removal would let the pod fit;
// either name them as victims on a node to nominate, or say why preemption cannot help.
import type { KObject } from '../apiserver/registry/kobject.ts';
import { Status } from './framework.ts';
import type { NodeInfo } from './node-info.ts';
import { filterWithNominatedPods, newDiagnosis, FitError, podPriority, type Diagnosis, type ScheduleInput } from './schedule-pod.ts';

export interface PreemptionResult {
  /** Set when preemption found room: the node to nominate and the pods to evict there. */
  candidate?: { node: string; victims: KObject[] };
  /** The PostFilter status; its message (prefixed "preemption: ") ends the FailedScheduling text. */
  status: Status;
  /** Whether the pod's nominatedNodeName should be cleared (preemption cannot help). */
  clearNomination: boolean;
}

/** podTerminatingByPreemption: being deleted with the DisruptionTarget condition the scheduler sets. */
function terminatingByPreemption(p: KObject): boolean {
  if (!p.metadata.deletionTimestamp) return false;
  return ((p.status?.conditions ?? []) as { type?: string; status?: string; reason?: string }[]).some(
    (c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler',
  );
}

const startTime = (p: KObject): number => {
  const t = Date.parse(String(p.status?.startTime ?? ''));
  return Number.isNaN(t) ? Date.now() : t;
};

/** util.MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportant(a: KObject, b: KObject): number {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pb - pa;
  return startTime(a) - startTime(b);
}

/** The status of a node in a diagnosis, the absent-nodes status when it has none. */
const statusOf = (d: Diagnosis, node: string): Status => d.nodeToStatus.get(node) ?? d.absentStatus;

/** DefaultPreemption.SelectVictimsOnNode (no PodDisruptionBudgets in dabba: every victim is non-violating). */
function selectVictimsOnNode(input: ScheduleInput, node: NodeInfo): { victims?: KObject[]; status?: Status } {
  const prio = podPriority(input.pod);
  const potential = node.pods.filter((p) => podPriority(p) < prio);
  if (!potential.length) return { status: Status.unresolvable('No preemption victims found for incoming pod') };
  const uids = new Set(potential.map((p) => p.metadata.uid));
  let current = node.without((p) => uids.has(p.metadata.uid));
  const rejects = (n: NodeInfo): Status | undefined => {
    const nodes = input.nodes.map((x) => (x.name === n.name ? n : x));
    const ctx = { pod: input.pod, state: new Map(), nodes, namespaceLabels: input.namespaceLabels };
    for (const pl of input.plugins) {
      const r = pl.preFilter?.(ctx);
      if (r?.status) return r.status;
    }
    return filterWithNominatedPods({ ...input, nodes }, ctx, n);
  };
  const without = rejects(current);
  if (without) return { status: without };
  const victims: KObject[] = [];
  for (const p of [...potential].sort(moreImportant)) {
    const reprieved = current.with([p]);
    if (rejects(reprieved)) victims.push(p);
    else current = reprieved;
  }
  return { victims };
}

/** DefaultPreemption.PostFilter: Evaluator.Preempt, its message prefixed with "preemption: ". */
export function preempt(input: ScheduleInput, fit: FitError): PreemptionResult {
  const r = evaluate(input, fit);
  const msg = r.status.message();
  return msg ? { ...r, status: new Status(r.status.code, [`preemption: ${msg}`], 'DefaultPreemption') } : r;
}

/** Evaluator.Preempt for the pod the FitError is about. */
function evaluate(input: ScheduleInput, fit: FitError): PreemptionResult {
  const pod = input.pod;
  if (pod.spec?.preemptionPolicy === 'Never') {
    return { status: Status.unschedulable('not eligible due to preemptionPolicy=Never.'), clearNomination: false };
  }
  const nominated = pod.status?.nominatedNodeName;
  if (typeof nominated === 'string' && nominated !== '' && statusOf(fit.diagnosis, nominated).code !== 'UnschedulableAndUnresolvable') {
    const n = input.nodes.find((x) => x.name === nominated);
    if (n?.pods.some((p) => podPriority(p) < podPriority(pod) && terminatingByPreemption(p))) {
      return { status: Status.unschedulable('not eligible due to a terminating pod on the nominated node.'), clearNomination: false };
    }
  }
  const potential = input.nodes.filter((n) => statusOf(fit.diagnosis, n.name).code === 'Unschedulable');
  const dryRun = newDiagnosis();
  dryRun.absentStatus = Status.unresolvable('Preemption is not helpful for scheduling');
  let candidate: { node: string; victims: KObject[] } | undefined;
  for (const n of potential) {
    const r = selectVictimsOnNode(input, n);
    if (r.victims?.length) {
      candidate ??= { node: n.name, victims: r.victims };
      continue;
    }
    dryRun.nodeToStatus.set(n.name, r.status ?? Status.error(`expected at least one victim pod on node "${n.name}"`));
  }
  if (!candidate) {
    const text = new FitError(input.nodes.length, dryRun).text();
    return { status: Status.unschedulable(text), clearNomination: true };
  }
  return { candidate, status: new Status('Success'), clearNomination: false };
}
