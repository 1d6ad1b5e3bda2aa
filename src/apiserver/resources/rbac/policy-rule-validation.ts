// Upstream validation of RBAC policy rules (ValidatePolicyRule), shared by Roles and ClusterRoles.
import { type FieldError, FieldPath, fieldInvalid, fieldRequired } from '../../../machinery/field-errors.ts';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** ValidatePolicyRule: verbs always; URLs only in cluster roles and never mixed with resources. */
export function validatePolicyRule(rule: Record<string, unknown>, namespaced: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const urls = strings(rule.nonResourceURLs);
  if (strings(rule.verbs).length === 0) errs.push(fieldRequired(path.child('verbs'), 'verbs must contain at least one value'));
  if (urls.length > 0) {
    if (namespaced) errs.push(fieldInvalid(path.child('nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (strings(rule.apiGroups).length > 0 || strings(rule.resources).length > 0 || strings(rule.resourceNames).length > 0) {
      errs.push(fieldInvalid(path.child('nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (strings(rule.apiGroups).length === 0) errs.push(fieldRequired(path.child('apiGroups'), 'resource rules must supply at least one api group'));
  if (strings(rule.resources).length === 0) errs.push(fieldRequired(path.child('resources'), 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRules(rules: unknown, namespaced: boolean): FieldError[] {
  if (!Array.isArray(rules)) return [];
  const path = FieldPath.root('rules');
  return rules.flatMap((r, i) => validatePolicyRule((r ?? {}) as Record<string, unknown>, namespaced, path.index(i)));
}
