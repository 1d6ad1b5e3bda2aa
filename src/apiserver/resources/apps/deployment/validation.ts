// apps/v1 Deployment validation (ValidateDeploymentSpec) and the selector/template rules ReplicaSets share with it.
import type { KObject } from '../../../registry/kobject.ts';
import {
  FieldPath,
  GoRepr,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  type FieldError,
} from '../../../../machinery/field-errors.ts';
import { SelectorParseError, selectorFromLabelSelector, type Selector } from '../../../../machinery/labels.ts';
import { validateLabelSelector, validateNonnegativeField, fieldImmutableErrorMsg } from '../../../../machinery/meta-validation.ts';
import { isValidPercent } from '../../../../machinery/validation.ts';
import { goIntOrString, goLabelSelector, goStringMap } from '../../core/pod/go-repr.ts';
import { semanticEqual, validatePodTemplateSpec } from '../../core/pod/validation.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/**
 * The selector checks every replicated kind makes: required, valid, not empty (`empty selector is invalid for
 * deployment`, ReplicaSets included), convertible; returns the selector the template must match, or undefined.
 */
export function validateSelector(selector: Json, path: FieldPath, errs: FieldError[]): Selector | undefined {
  if (selector == null) errs.push(fieldRequired(path));
  else {
    errs.push(...validateLabelSelector(selector, path, { allowInvalidLabelValueInSelector: false }));
    const n = Object.keys(isObject(selector.matchLabels) ? selector.matchLabels : {}).length + (Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0);
    if (n === 0) errs.push(fieldInvalid(path, goLabelSelector(selector), 'empty selector is invalid for deployment'));
  }
  try {
    // A null selector becomes labels.Nothing(), which no template matches.
    return selectorFromLabelSelector(selector);
  } catch (e) {
    if (!(e instanceof SelectorParseError)) throw e;
    errs.push(fieldInvalid(path, goLabelSelector(selector), 'invalid label selector'));
    return undefined;
  }
}

/** ValidatePodTemplateSpecForReplicaSet: labels match the selector, a valid pod template, restartPolicy Always. */
export function validatePodTemplateSpecForReplicaSet(template: Json, selector: Selector, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const t = isObject(template) ? template : {};
  const labels = isObject(t.metadata) ? t.metadata.labels : undefined;
  if (!selector.isEmpty() && !selector.matches(isObject(labels) ? labels : {})) {
    errs.push(fieldInvalid(path.child('metadata', 'labels'), goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(t, path));
  const rp = typeof t.spec?.restartPolicy === 'string' ? t.spec.restartPolicy : '';
  if (rp !== 'Always') errs.push(fieldNotSupported(path.child('spec', 'restartPolicy'), rp, ['Always']));
  if (t.spec?.activeDeadlineSeconds != null) {
    errs.push(fieldForbidden(path.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

// ---- int-or-percent (maxSurge, maxUnavailable) ----

function percentValue(v: Json): number | undefined {
  if (typeof v !== 'string' || isValidPercent(v).length) return undefined;
  return Number.parseInt(v.slice(0, -1), 10);
}

/** getIntOrPercentValue: an unparseable string counts as 0, as intstr's IntValue does. */
function intOrPercentValue(v: Json): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  if (typeof v === 'number') return v;
  const n = typeof v === 'string' && /^[+-]?\d+$/.test(v) ? Number.parseInt(v, 10) : 0;
  return Number.isFinite(n) ? n : 0;
}

function validatePositiveIntOrPercent(v: Json, path: FieldPath): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((msg) => fieldInvalid(path, goIntOrString(v), msg));
  return validateNonnegativeField(num(v), path);
}

function isNotMoreThan100Percent(v: Json, path: FieldPath): FieldError[] {
  const p = percentValue(v);
  return p === undefined || p <= 100 ? [] : [fieldInvalid(path, goIntOrString(v), 'must not be greater than 100%')];
}

function validateRollingUpdateDeployment(ru: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, path.child('maxUnavailable')));
  errs.push(...validatePositiveIntOrPercent(ru.maxSurge, path.child('maxSurge')));
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(fieldInvalid(path.child('maxUnavailable'), goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, path.child('maxUnavailable')));
  return errs;
}

function validateDeploymentStrategy(strategy: Json, path: FieldPath): FieldError[] {
  const s = isObject(strategy) ? strategy : {};
  const type = typeof s.type === 'string' ? s.type : '';
  switch (type) {
    case 'Recreate':
      return s.rollingUpdate != null ? [fieldForbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate':
      if (!isObject(s.rollingUpdate)) return [fieldRequired(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
      return validateRollingUpdateDeployment(s.rollingUpdate, path.child('rollingUpdate'));
    default: {
      // Upstream prints the internal struct; a set pointer shows as an address there.
      const ru = s.rollingUpdate == null ? '(*apps.RollingUpdateDeployment)(nil)' : '&apps.RollingUpdateDeployment{…}';
      const repr = new GoRepr(`apps.DeploymentStrategy{Type:${JSON.stringify(type)}, RollingUpdate:${ru}}`);
      return [fieldNotSupported(path, repr, ['Recreate', 'RollingUpdate'])];
    }
  }
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(spec: Json, path: FieldPath): FieldError[] {
  const s = isObject(spec) ? spec : {};
  const errs = validateNonnegativeField(num(s.replicas), path.child('replicas'));
  const selector = validateSelector(s.selector, path.child('selector'), errs);
  if (selector) errs.push(...validatePodTemplateSpecForReplicaSet(s.template, selector, path.child('template')));
  errs.push(...validateDeploymentStrategy(s.strategy, path.child('strategy')));
  errs.push(...validateNonnegativeField(num(s.minReadySeconds), path.child('minReadySeconds')));
  if (s.revisionHistoryLimit != null) errs.push(...validateNonnegativeField(num(s.revisionHistoryLimit), path.child('revisionHistoryLimit')));
  if (s.progressDeadlineSeconds != null) {
    const pds = num(s.progressDeadlineSeconds);
    errs.push(...validateNonnegativeField(pds, path.child('progressDeadlineSeconds')));
    if (pds <= num(s.minReadySeconds)) {
      errs.push(fieldInvalid(path.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** apps/v1 selectors are immutable; the bad value is the new selector as Go prints it (`"null"` when unset). */
export function validateSelectorImmutable(selector: Json, oldSelector: Json, path: FieldPath): FieldError[] {
  if (semanticEqual(selector ?? null, oldSelector ?? null)) return [];
  return [fieldInvalid(path, selector == null ? 'null' : goLabelSelector(selector), fieldImmutableErrorMsg)];
}

/** ValidateDeployment, without ObjectMeta (the generic store checks it). */
export function validateCreate(obj: KObject): FieldError[] {
  return validateDeploymentSpec(obj.spec, FieldPath.root('spec'));
}

/** ValidateDeploymentUpdate plus the strategy's apps/v1 selector immutability. */
export function validateUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs = validateDeploymentSpec(obj.spec, FieldPath.root('spec'));
  errs.push(...validateSelectorImmutable(obj.spec?.selector, old.spec?.selector, FieldPath.root('spec').child('selector')));
  return errs;
}
