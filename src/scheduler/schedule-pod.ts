// One scheduling attempt's filtering: PreFilter, Filter on every node (with nominated pods), and the FitError
// whose text becomes the FailedScheduling event and the PodScheduled condition.
import type { KObject } from '../apiserver/registry/kobject.ts';
import { Status, type CycleContext, type FilterPlugin } from './framework.ts';
import type { NodeInfo } from './node-info.ts';

/** framework.Diagnosis: why each node was rejected, and by which plugins. */
export interface Diagnosis {
  nodeToStatus: Map<string, Status>;
  /** The status of nodes missing from nodeToStatus (NodeToStatus.AbsentNodesStatus). */
  absentStatus: Status;
  unschedulablePlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

export const newDiagnosis = (): Diagnosis => ({
  nodeToStatus: new Map(),
  absentStatus: Status.unresolvable(),
  unschedulablePlugins: new Set(),
  preFilterMsg: '',
  postFilterMsg: '',
});

/** ErrNoNodesAvailable. */
export const noNodesAvailable = 'no nodes available to schedule pods';

/** framework.FitError: no node fits; Error() is the text users see. */
export class FitError extends Error {
  readonly code = 'SCHEDULER_FIT_ERROR';
  readonly numAllNodes: number;
  readonly diagnosis: Diagnosis;

  constructor(numAllNodes: number, diagnosis: Diagnosis) {
    super(`0/${numAllNodes} nodes are available`);
    this.numAllNodes = numAllNodes;
    this.diagnosis = diagnosis;
  }

  /** FitError.Error(): "0/N nodes are available: <PreFilterMsg>. <sorted reason histogram>. <PostFilterMsg>" as 1.33 words it. */
  text(): string {
    const d = this.diagnosis;
    let msg = `0/${this.numAllNodes} nodes are available:`;
    if (d.preFilterMsg !== '') {
      msg += ` ${d.preFilterMsg}.`;
    } else {
      const reasons = new Map<string, number>();
      for (const s of d.nodeToStatus.values()) for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
      const absent = this.numAllNodes - d.nodeToStatus.size;
      if (absent > 0) for (const r of d.absentStatus.reasons) reasons.set(r, (reasons.get(r) ?? 0) + absent);
      const histogram = [...reasons].map(([r, n]) => `${n} ${r}`).sort(byteOrder);
      if (histogram.length) msg += ` ${histogram.join(', ')}.`;
    }
    if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`;
    return msg;
  }
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A scheduling failure that is not a fit problem (a plugin error): the pod is retried after back-off. */
export class SchedulingError extends Error {
  readonly code = 'SCHEDULER_ERROR';
}

export interface ScheduleInput {
  pod: KObject;
  nodes: NodeInfo[];
  plugins: readonly FilterPlugin[];
  namespaceLabels(name: string): Record<string, string> | undefined;
  /** Pods nominated to a node (status.nominatedNodeName) that are not bound yet, by node name. */
  nominatedPods(nodeName: string): KObject[];
}

export const podPriority = (pod: KObject): number => (typeof pod.spec?.priority === 'number' ? pod.spec.priority : 0);

function context(input: ScheduleInput, nodes: NodeInfo[]): CycleContext {
  return { pod: input.pod, state: new Map(), nodes, namespaceLabels: input.namespaceLabels };
}

/** RunPreFilterPlugins: a rejection for all nodes, an error, or the nodes a PreFilterResult narrows to. */
function runPreFilters(plugins: readonly FilterPlugin[], ctx: CycleContext): { status?: Status; nodeNames?: Set<string>; narrowedBy: string[] } {
  let names: Set<string> | undefined;
  const narrowedBy: string[] = [];
  let rejected: Status | undefined;
  for (const pl of plugins) {
    const r = pl.preFilter?.(ctx);
    if (!r) continue;
    if (r.status) {
      r.status.plugin = pl.name;
      if (r.status.code === 'UnschedulableAndUnresolvable') return { status: r.status, narrowedBy: [] };
      if (r.status.code === 'Unschedulable') {
        rejected = r.status;
        continue;
      }
      return { status: new Status('Error', [`running PreFilter plugin "${pl.name}": ${r.status.message()}`], pl.name), narrowedBy: [] };
    }
    if (r.nodeNames) {
      narrowedBy.push(pl.name);
      names = names ? new Set([...names].filter((n) => r.nodeNames!.has(n))) : new Set(r.nodeNames);
      if (names.size === 0) {
        const sorted = [...narrowedBy].sort();
        const msg = sorted.length === 1 ? `node(s) didn't satisfy plugin ${sorted[0]}` : `node(s) didn't satisfy plugin(s) [${sorted.join(' ')}] simultaneously`;
        return { status: new Status('UnschedulableAndUnresolvable', [msg]), nodeNames: names, narrowedBy };
      }
    }
  }
  return { status: rejected, nodeNames: names, narrowedBy };
}

/** RunFilterPlugins: the first plugin that rejects the node decides. */
function runFilters(plugins: readonly FilterPlugin[], ctx: CycleContext, node: NodeInfo): Status | undefined {
  for (const pl of plugins) {
    const s = pl.filter(ctx, node);
    if (s && s.code !== 'Success') {
      s.plugin = pl.name;
      return s;
    }
  }
  return undefined;
}

/**
 * RunFilterPluginsWithNominatedPods: first as if the nominated pods of equal or higher priority already ran there,
 * then (when that passed and some were added) without them, so both worlds must fit.
 */
export function filterWithNominatedPods(input: ScheduleInput, ctx: CycleContext, node: NodeInfo): Status | undefined {
  const prio = podPriority(input.pod);
  const nominated = input
    .nominatedPods(node.name)
    .filter((p) => p.metadata.uid !== input.pod.metadata.uid && podPriority(p) >= prio);
  if (!nominated.length) return runFilters(input.plugins, ctx, node);
  const withNominated = node.with(nominated);
  const ctx2 = context(input, ctx.nodes.map((n) => (n.name === node.name ? withNominated : n)));
  for (const pl of input.plugins) pl.preFilter?.(ctx2);
  const first = runFilters(input.plugins, ctx2, withNominated);
  if (first) return first;
  return runFilters(input.plugins, ctx, node);
}

/**
 * findNodesThatFitPod: the feasible nodes, or a FitError saying why none fits. Throws SchedulingError for plugin
 * errors and when there are no nodes at all.
 */
export function findFeasibleNodes(input: ScheduleInput): { feasible: NodeInfo[]; ctx: CycleContext } {
  if (input.nodes.length === 0) throw new SchedulingError(noNodesAvailable);
  const ctx = context(input, input.nodes);
  const diagnosis = newDiagnosis();
  const pre = runPreFilters(input.plugins, ctx);
  if (pre.status) {
    if (!pre.status.rejected) throw new SchedulingError(pre.status.message());
    diagnosis.absentStatus = pre.status;
    diagnosis.preFilterMsg = pre.status.message();
    if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
    throw new FitError(input.nodes.length, diagnosis);
  }
  const nominatedName = input.pod.status?.nominatedNodeName;
  if (typeof nominatedName === 'string' && nominatedName !== '') {
    const n = input.nodes.find((x) => x.name === nominatedName);
    if (n && (!pre.nodeNames || pre.nodeNames.has(n.name))) {
      const s = filterWithNominatedPods(input, ctx, n);
      if (s?.code === 'Error') throw new SchedulingError(s.message());
      if (!s) return { feasible: [n], ctx };
    }
  }
  let nodes = input.nodes;
  if (pre.nodeNames) {
    nodes = nodes.filter((n) => pre.nodeNames!.has(n.name));
    diagnosis.absentStatus = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...pre.narrowedBy].sort().join(' ')}]`);
  }
  const feasible: NodeInfo[] = [];
  for (const n of nodes) {
    const s = filterWithNominatedPods(input, ctx, n);
    if (!s) {
      feasible.push(n);
      continue;
    }
    if (s.code === 'Error') throw new SchedulingError(s.message());
    diagnosis.nodeToStatus.set(n.name, s);
    if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
  }
  if (!feasible.length) throw new FitError(input.nodes.length, diagnosis);
  return { feasible, ctx };
}
