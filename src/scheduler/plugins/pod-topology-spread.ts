// PodTopologySpread (hard constraints): placing the pod must keep each DoNotSchedule constraint's skew within maxSkew.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.ts';
import { Status, type FilterPlugin } from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';
import { requiredNodeAffinity } from './node-affinity.ts';
import { untoleratedTaint } from './taint-toleration.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch = `${errReasonConstraintsNotMatch} (missing required label)`;

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  minDomains: number;
  nodeAffinityPolicy: string;
  nodeTaintsPolicy: string;
  selector: Selector;
  /** matchLabelKeys turned into exact label requirements (mergeLabelSetWithSelector). */
  extra: Record<string, string>;
}

const matches = (c: Constraint, labels: Record<string, string> | undefined): boolean =>
  c.selector.matches(labels ?? {}) && Object.entries(c.extra).every(([k, v]) => labels?.[k] === v);
const isEmpty = (c: Constraint): boolean => c.selector.isEmpty() && Object.keys(c.extra).length === 0;

/** filterTopologySpreadConstraints for DoNotSchedule, with matchLabelKeys merged into the selector. */
export function hardConstraints(pod: KObject): Constraint[] {
  const labels = (pod.metadata.labels ?? {}) as Record<string, string>;
  const out: Constraint[] = [];
  for (const c of (Array.isArray(pod.spec?.topologySpreadConstraints) ? pod.spec.topologySpreadConstraints : []) as Json[]) {
    if (c?.whenUnsatisfiable !== 'DoNotSchedule') continue;
    const extra: Record<string, string> = {};
    for (const k of (Array.isArray(c.matchLabelKeys) ? c.matchLabelKeys : []) as string[]) if (k in labels) extra[k] = labels[k]!;
    out.push({
      maxSkew: Number(c.maxSkew ?? 1),
      topologyKey: String(c.topologyKey ?? ''),
      minDomains: Number(c.minDomains ?? 1),
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
      selector: selectorFromLabelSelector(c.labelSelector),
      extra,
    });
  }
  return out;
}

interface SpreadState {
  constraints: Constraint[];
  /** Per constraint: topology value → matching pods. */
  counts: Map<string, number>[];
  /** Per constraint: the smallest count among its domains, and how many domains there are. */
  min: number[];
  domains: number[];
}

const stateKey = 'PodTopologySpread';

function countMatching(pods: KObject[], c: Constraint, namespace: string): number {
  if (isEmpty(c)) return 0;
  let n = 0;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp || p.metadata.namespace !== namespace) continue;
    if (matches(c, p.metadata.labels as Record<string, string> | undefined)) n++;
  }
  return n;
}

function preFilterState(pod: KObject, nodes: NodeInfo[]): SpreadState | undefined {
  const constraints = hardConstraints(pod);
  if (!constraints.length) return undefined;
  const affinity = requiredNodeAffinity(pod);
  const counts = constraints.map(() => new Map<string, number>());
  for (const n of nodes) {
    if (!constraints.every((c) => c.topologyKey in n.labels)) continue;
    constraints.forEach((c, i) => {
      if (c.nodeAffinityPolicy === 'Honor' && !affinity(n.node)) return;
      if (c.nodeTaintsPolicy === 'Honor' && untoleratedTaint(n.node.spec?.taints, pod.spec?.tolerations)) return;
      const value = n.labels[c.topologyKey]!;
      counts[i]!.set(value, (counts[i]!.get(value) ?? 0) + countMatching(n.pods, c, pod.metadata.namespace ?? ''));
    });
  }
  return {
    constraints,
    counts,
    min: counts.map((m) => (m.size ? Math.min(...m.values()) : Number.MAX_SAFE_INTEGER)),
    domains: counts.map((m) => m.size),
  };
}

export const podTopologySpread: FilterPlugin = {
  name: 'PodTopologySpread',
  events: ['NodeAdd', 'NodeLabel', 'NodeTaint', 'AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete'],
  preFilter(ctx) {
    try {
      ctx.state.set(stateKey, preFilterState(ctx.pod, ctx.nodes));
    } catch (e) {
      return { status: Status.error(e instanceof Error ? e.message : String(e)) };
    }
    return undefined;
  },
  filter(ctx, node) {
    const s = ctx.state.get(stateKey) as SpreadState | undefined;
    if (!s) return undefined;
    const podLabels = (ctx.pod.metadata.labels ?? {}) as Record<string, string>;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const value = node.labels[c.topologyKey];
      if (value === undefined) return Status.unresolvable(errReasonNodeLabelNotMatch);
      const minMatch = s.domains[i]! < c.minDomains ? 0 : s.min[i]!;
      const self = matches(c, podLabels) ? 1 : 0;
      const skew = (s.counts[i]!.get(value) ?? 0) + self - minMatch;
      if (skew > c.maxSkew) return Status.unschedulable(errReasonConstraintsNotMatch);
    }
    return undefined;
  },
};
