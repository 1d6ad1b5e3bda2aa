// RBAC policy rules and whether a rule allows a request, as upstream's rbac/v1 helpers (VerbMatches, ResourceMatches, …).
import type { RequestAttributes } from '../auth/authorizer.ts';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export const verbAll = '*';
export const apiGroupAll = '*';
export const resourceAll = '*';
export const nonResourceAll = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((v) => v === verbAll || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === apiGroupAll || g === group);
}

// `combined` is `resource` or `resource/subresource`; a rule of `*` or of `*` slash subresource matches too.
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === resourceAll || r === combined) return true;
    if (!subresource) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/** A rule URL ending in `*` matches every path with that prefix. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === nonResourceAll || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

/** RuleAllows: does this one rule grant the request? */
export function ruleAllows(a: RequestAttributes, rule: PolicyRule): boolean {
  if (a.resourceRequest) {
    const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    return (
      verbMatches(rule, a.verb) &&
      apiGroupMatches(rule, a.apiGroup) &&
      resourceMatches(rule, combined, a.subresource) &&
      resourceNameMatches(rule, a.name)
    );
  }
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path);
}

/** A rule's fields as a fresh object, lists copied and absent ones left out (what the API returns). */
export function copyRule(r: PolicyRule): PolicyRule {
  const out: PolicyRule = { verbs: [...(r.verbs ?? [])] };
  if (r.apiGroups) out.apiGroups = [...r.apiGroups];
  if (r.resources) out.resources = [...r.resources];
  if (r.resourceNames) out.resourceNames = [...r.resourceNames];
  if (r.nonResourceURLs) out.nonResourceURLs = [...r.nonResourceURLs];
  return out;
}

const list = (v: string[] | undefined) => v ?? [];
const sameList = (a: string[] | undefined, b: string[] | undefined) => {
  const x = list(a);
  const y = list(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/** equality.Semantic.DeepEqual of two rules: absent and empty lists are the same, order matters. */
export function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return (
    sameList(a.verbs, b.verbs) &&
    sameList(a.apiGroups, b.apiGroups) &&
    sameList(a.resources, b.resources) &&
    sameList(a.resourceNames, b.resourceNames) &&
    sameList(a.nonResourceURLs, b.nonResourceURLs)
  );
}
