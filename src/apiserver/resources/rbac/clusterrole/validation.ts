// Upstream validation for ClusterRoles: cluster-wide policy rules and the aggregation rule's selectors.
import { type FieldError, FieldPath, GoRepr, fieldInvalid, fieldRequired } from '../../../../machinery/field-errors.ts';
import { labelSelectorHasInvalidLabelValue, validateLabelSelector } from '../../../../machinery/meta-validation.ts';
import { selectorFromLabelSelector } from '../../../../machinery/labels.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { validateRules } from '../policy-rule-validation.ts';

/** ValidateClusterRole, without the metadata the generic store checks. */
export function validateClusterRole(role: KObject, opts: { allowInvalidLabelValueInSelector?: boolean } = {}): FieldError[] {
  const errs = validateRules(role.rules, false);
  const agg = role.aggregationRule;
  if (agg != null && typeof agg === 'object') {
    const path = FieldPath.root('aggregationRule').child('clusterRoleSelectors');
    const selectors: unknown[] = Array.isArray(agg.clusterRoleSelectors) ? agg.clusterRoleSelectors : [];
    if (selectors.length === 0) errs.push(fieldRequired(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => {
      const at = path.index(i);
      const ls = (s ?? {}) as Parameters<typeof validateLabelSelector>[0];
      errs.push(...validateLabelSelector(ls, at, opts));
      try {
        selectorFromLabelSelector(ls as Parameters<typeof selectorFromLabelSelector>[0]);
      } catch {
        // A failed LabelSelectorAsSelector yields a nil selector, which the error prints as "null".
        errs.push(fieldInvalid(at, new GoRepr('"null"'), 'invalid label selector.'));
      }
    });
  }
  return errs;
}

/** ValidateClusterRoleUpdate: invalid label values already stored in a selector may stay. */
export function validateClusterRoleUpdate(role: KObject, old: KObject): FieldError[] {
  const selectors: unknown[] = Array.isArray(old.aggregationRule?.clusterRoleSelectors) ? old.aggregationRule.clusterRoleSelectors : [];
  const allow = selectors.some((s) => labelSelectorHasInvalidLabelValue(s as Parameters<typeof labelSelectorHasInvalidLabelValue>[0]));
  return validateClusterRole(role, { allowInvalidLabelValueInSelector: allow });
}
