// InterPodAffinity (required terms): the pod's affinity needs matching pods in the node's topology domain, its
// anti-affinity needs none there, and no pod already there may have anti-affinity against it.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.ts';
import { Status, type CycleContext, type FilterPlugin } from '../framework.ts';
import type { NodeInfo } from '../node-info.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const errReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
export const errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

interface AffinityTerm {
  namespaces: Set<string>;
  namespaceSelector: Selector;
  selector: Selector;
  topologyKey: string;
}

/** framework.AffinityTerm from a PodAffinityTerm: the owner's namespace when neither namespaces nor a selector is set. */
function term(owner: KObject, t: Json): AffinityTerm {
  const namespaces: string[] = Array.isArray(t?.namespaces) ? t.namespaces : [];
  const noSelector = t?.namespaceSelector === undefined || t?.namespaceSelector === null;
  return {
    namespaces: new Set(namespaces.length === 0 && noSelector ? [owner.metadata.namespace ?? ''] : namespaces),
    namespaceSelector: selectorFromLabelSelector(t?.namespaceSelector),
    selector: selectorFromLabelSelector(t?.labelSelector),
    topologyKey: String(t?.topologyKey ?? ''),
  };
}

function requiredTerms(pod: KObject, kind: 'podAffinity' | 'podAntiAffinity'): AffinityTerm[] {
  const terms = pod.spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution;
  return (Array.isArray(terms) ? terms : []).map((t: Json) => term(pod, t));
}

function termMatches(t: AffinityTerm, pod: KObject, nsLabels: Record<string, string> | undefined): boolean {
  const ns = pod.metadata.namespace ?? '';
  if (!(t.namespaces.has(ns) || t.namespaceSelector.matches(nsLabels ?? {}))) return false;
  return t.selector.matches((pod.metadata.labels ?? {}) as Record<string, string>);
}

type Counts = Map<string, number>;
const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

function bump(m: Counts, node: NodeInfo, key: string): void {
  const value = node.labels[key];
  if (value === undefined) return;
  const k = pairKey(key, value);
  m.set(k, (m.get(k) ?? 0) + 1);
}

interface AffinityState {
  affinity: AffinityTerm[];
  antiAffinity: AffinityTerm[];
  affinityCounts: Counts;
  antiAffinityCounts: Counts;
  existingAntiAffinityCounts: Counts;
}

const stateKey = 'InterPodAffinity';

function preFilterState(ctx: CycleContext): AffinityState | undefined {
  const pod = ctx.pod;
  const affinity = requiredTerms(pod, 'podAffinity');
  const antiAffinity = requiredTerms(pod, 'podAntiAffinity');
  const s: AffinityState = { affinity, antiAffinity, affinityCounts: new Map(), antiAffinityCounts: new Map(), existingAntiAffinityCounts: new Map() };
  const podNsLabels = ctx.namespaceLabels(pod.metadata.namespace ?? '');
  let any = affinity.length > 0 || antiAffinity.length > 0;
  for (const n of ctx.nodes) {
    for (const existing of n.pods) {
      for (const t of requiredTerms(existing, 'podAntiAffinity')) {
        any = true;
        if (termMatches(t, pod, podNsLabels)) bump(s.existingAntiAffinityCounts, n, t.topologyKey);
      }
      if (!affinity.length && !antiAffinity.length) continue;
      const nsLabels = ctx.namespaceLabels(existing.metadata.namespace ?? '');
      if (affinity.length && affinity.every((t) => termMatches(t, existing, nsLabels))) {
        for (const t of affinity) bump(s.affinityCounts, n, t.topologyKey);
      }
      for (const t of antiAffinity) if (termMatches(t, existing, nsLabels)) bump(s.antiAffinityCounts, n, t.topologyKey);
    }
  }
  return any ? s : undefined;
}

export const interPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  events: ['NodeAdd', 'NodeLabel', 'AssignedPodAdd', 'AssignedPodUpdate', 'AssignedPodDelete', 'NamespaceChange'],
  preFilter(ctx) {
    try {
      ctx.state.set(stateKey, preFilterState(ctx));
    } catch (e) {
      return { status: Status.error(e instanceof Error ? e.message : String(e)) };
    }
    return undefined;
  },
  filter(ctx, node) {
    const s = ctx.state.get(stateKey) as AffinityState | undefined;
    if (!s) return undefined;
    // satisfyPodAffinity: every topology key on the node, and matching pods in each domain, unless this is
    // the first pod of a group that matches its own terms and no pod anywhere matches yet.
    let podsExist = true;
    for (const t of s.affinity) {
      const value = node.labels[t.topologyKey];
      if (value === undefined) return Status.unresolvable(errReasonAffinityRulesNotMatch);
      if ((s.affinityCounts.get(pairKey(t.topologyKey, value)) ?? 0) <= 0) podsExist = false;
    }
    if (!podsExist) {
      const selfNs = ctx.namespaceLabels(ctx.pod.metadata.namespace ?? '');
      const selfMatch = s.affinity.length > 0 && s.affinity.every((t) => termMatches(t, ctx.pod, selfNs));
      if (!(s.affinityCounts.size === 0 && selfMatch)) return Status.unresolvable(errReasonAffinityRulesNotMatch);
    }
    for (const t of s.antiAffinity) {
      const value = node.labels[t.topologyKey];
      if (value !== undefined && (s.antiAffinityCounts.get(pairKey(t.topologyKey, value)) ?? 0) > 0) {
        return Status.unschedulable(errReasonAntiAffinityRulesNotMatch);
      }
    }
    for (const [k, count] of s.existingAntiAffinityCounts) {
      const [key, value] = k.split('\u0000') as [string, string];
      if (count > 0 && node.labels[key] === value) return Status.unschedulable(errReasonExistingAntiAffinityRulesNotMatch);
    }
    return undefined;
  },
};
