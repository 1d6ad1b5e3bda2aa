// NodeAffinity: spec.nodeSelector and required node affinity terms must match the node's labels (and name).
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { newRequirement, requirementMatches, type Requirement } from '../../machinery/labels.ts';
import { Status, type FilterPlugin } from '../framework.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const errReasonPod = "node(s) didn't match Pod's node affinity/selector";
export const errReasonConflict = 'pod affinity terms conflict';

const operators: Record<string, string> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

interface ParsedTerm {
  labels: Requirement[];
  /** metadata.name requirements: [wanted, equal?]. */
  fields: { value: string; equal: boolean; key: string }[];
  empty: boolean;
}

/** One NodeSelectorTerm, or undefined when it does not parse (upstream drops such terms). */
function parseTerm(term: Json): ParsedTerm | undefined {
  const exprs: Json[] = Array.isArray(term?.matchExpressions) ? term.matchExpressions : [];
  const fieldExprs: Json[] = Array.isArray(term?.matchFields) ? term.matchFields : [];
  try {
    const labels = exprs.map((e) => {
      const op = operators[e?.operator];
      if (!op) throw new Error('unsupported operator');
      return newRequirement(String(e.key), op, Array.isArray(e.values) && e.values.length ? e.values : null);
    });
    const fields = fieldExprs.map((e) => {
      if (!Array.isArray(e?.values) || e.values.length !== 1) throw new Error('must have one element');
      if (e.operator !== 'In' && e.operator !== 'NotIn') throw new Error('unsupported operator');
      return { key: String(e.key), value: String(e.values[0]), equal: e.operator === 'In' };
    });
    return { labels, fields, empty: exprs.length === 0 && fieldExprs.length === 0 };
  } catch {
    return undefined;
  }
}

function termMatches(t: ParsedTerm, node: KObject): boolean {
  if (t.empty) return false;
  const labels = (node.metadata.labels ?? {}) as Record<string, string>;
  if (!t.labels.every((r) => requirementMatches(r, labels))) return false;
  const fieldValues: Record<string, string> = { 'metadata.name': node.metadata.name ?? '' };
  return t.fields.every((f) => ((fieldValues[f.key] ?? '') === f.value) === f.equal);
}

/** nodeaffinity.RequiredNodeAffinity: the pod's nodeSelector ANDed with its required node affinity terms (ORed). */
export function requiredNodeAffinity(pod: KObject): (node: KObject) => boolean {
  const selector = (pod.spec?.nodeSelector ?? {}) as Record<string, string>;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = required ? ((Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : []) as Json[]).map(parseTerm) : undefined;
  return (node) => {
    const labels = (node.metadata.labels ?? {}) as Record<string, string>;
    for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
    if (!terms) return true;
    return terms.some((t) => t !== undefined && termMatches(t, node));
  };
}

const stateKey = 'NodeAffinity';

export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  events: ['NodeAdd', 'NodeLabel'],
  /** Terms that pin metadata.name narrow the nodes to try; terms that pin disjoint names can never match. */
  preFilter(ctx) {
    ctx.state.set(stateKey, requiredNodeAffinity(ctx.pod));
    const terms: Json[] = ctx.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    if (!Array.isArray(terms) || terms.length === 0) return undefined;
    let names: Set<string> | undefined;
    for (const t of terms) {
      let termNames: Set<string> | undefined;
      for (const r of (Array.isArray(t?.matchFields) ? t.matchFields : []) as Json[]) {
        if (r?.key !== 'metadata.name' || r.operator !== 'In') continue;
        const s = new Set<string>((Array.isArray(r.values) ? r.values : []).map(String));
        termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
      }
      if (!termNames) return undefined;
      names = new Set([...(names ?? []), ...termNames]);
    }
    if (names && names.size === 0) return { status: Status.unresolvable(errReasonConflict) };
    return names ? { nodeNames: names } : undefined;
  },
  filter(ctx, node) {
    const match = (ctx.state.get(stateKey) as ((n: KObject) => boolean) | undefined) ?? requiredNodeAffinity(ctx.pod);
    return match(node.node) ? undefined : Status.unresolvable(errReasonPod);
  },
};
