// Upstream validation for autoscaling/v2 HorizontalPodAutoscalers: replicas, target reference, metrics, behavior.
import {
  type FieldError,
  FieldPath,
  GoRepr,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
} from '../../../../machinery/field-errors.ts';
import { isDNS1123Label, isPathSegmentName, isQualifiedName } from '../../../../machinery/validation.ts';
import { Quantity } from '../../../../machinery/quantity.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { isHugePages, standardContainerResources, standardResources } from '../../core/resource-names.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The largest scaling policy period, in seconds. */
export const maxPeriodSeconds = 1800;
/** The largest stabilization window, in seconds. */
export const maxStabilizationWindowSeconds = 3600;

const present = (v: unknown): boolean => v !== undefined && v !== null;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' ? v : 0);

// ---- Go's %#v of a resource.Quantity ----

const decimalExponents: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binaryExponents: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * A quantity as Go's %#v prints it in a field error (upstream passes resource.Quantity by value, which has no
 * String method), computed from the text it was decoded from. Values outside the int64 fast path of
 * ParseQuantity hold a pointer upstream; those print as their text.
 */
export function goQuantity(raw: unknown): GoRepr | string {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  try {
    Quantity.fromJSON(raw);
  } catch {
    return text;
  }
  const repr = (value: bigint, scale: number, s: string, format: string) =>
    new GoRepr(
      `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(s)}, Format:${JSON.stringify(format)}}`,
    );
  if (text === '0') return repr(0n, 0, '0', 'DecimalSI');
  const m = /^([+-]?)0*([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
  if (!m) return text;
  const positive = m[1] !== '-';
  const num = m[2] === '' ? '0' : m[2];
  const denom = m[3] ?? '';
  const suffix = m[4];
  let base: 2 | 10 = 10;
  let exponent: number;
  let format = 'DecimalSI';
  if (suffix in decimalExponents) exponent = decimalExponents[suffix];
  else if (suffix in binaryExponents) {
    base = 2;
    exponent = binaryExponents[suffix];
    format = 'BinarySI';
  } else if (/^[eE][+-]?[0-9]+$/.test(suffix)) {
    exponent = Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else return text;
  let precision: number;
  if (base === 10) precision = 18 - (num.length + denom.length);
  else precision = denom.length === 0 ? 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 : -1;
  const scale = (base === 10 ? exponent : 0) - denom.length;
  if (precision < 0 || scale < -9) return text;
  const shifted = num + denom;
  const digits = BigInt(shifted);
  const value = digits * (base === 2 ? 1n << BigInt(exponent) : 1n);
  if (value > 9223372036854775807n) return text;
  const keep =
    base === 2 ? exponent % 10 === 0 && (digits & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  return repr(positive ? value : -value, scale, keep ? text : '', format);
}

const quantitySign = (raw: unknown): number => {
  try {
    return Quantity.fromJSON(raw).sign();
  } catch {
    return 0;
  }
};

// ---- references and metrics ----

/** ValidateCrossVersionObjectReference: kind and name required, each one URL path segment. */
export function validateCrossVersionObjectReference(ref: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ['kind', 'name']) {
    const v = str(ref?.[field]);
    if (v === '') errs.push(fieldRequired(path.child(field)));
    else for (const msg of isPathSegmentName(v)) errs.push(fieldInvalid(path.child(field), v, msg));
  }
  return errs;
}

function validateMetricIdentifier(id: Json, path: FieldPath): FieldError[] {
  const name = str(id?.name);
  if (name === '') return [fieldRequired(path.child('name'), 'must specify a metric name')];
  return isPathSegmentName(name).map((msg) => fieldInvalid(path.child('name'), name, msg));
}

function validateMetricTarget(t: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(t?.type);
  if (type === '') errs.push(fieldRequired(path.child('type'), 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    errs.push(fieldInvalid(path.child('type'), type, 'must be either Utilization, Value, or AverageValue'));
  }
  if (present(t?.value) && quantitySign(t.value) !== 1) errs.push(fieldInvalid(path.child('value'), goQuantity(t.value), 'must be positive'));
  if (present(t?.averageValue) && quantitySign(t.averageValue) !== 1) {
    errs.push(fieldInvalid(path.child('averageValue'), goQuantity(t.averageValue), 'must be positive'));
  }
  if (present(t?.averageUtilization) && int(t.averageUtilization) < 1) {
    errs.push(fieldInvalid(path.child('averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  }
  return errs;
}

function validateObjectSource(src: Json, path: FieldPath): FieldError[] {
  const errs = validateCrossVersionObjectReference(src.describedObject, path.child('describedObject'));
  errs.push(...validateMetricIdentifier(src.metric, path.child('metric')));
  errs.push(...validateMetricTarget(src.target, path.child('target')));
  if (!present(src.target?.value) && !present(src.target?.averageValue)) {
    errs.push(fieldRequired(path.child('target', 'averageValue'), 'must set either a target value or averageValue'));
  }
  return errs;
}

function validateExternalSource(src: Json, path: FieldPath): FieldError[] {
  const errs = validateMetricIdentifier(src.metric, path.child('metric'));
  errs.push(...validateMetricTarget(src.target, path.child('target')));
  const hasValue = present(src.target?.value);
  const hasAverage = present(src.target?.averageValue);
  if (!hasValue && !hasAverage) {
    errs.push(fieldRequired(path.child('target', 'averageValue'), 'must set either a target value for metric or a per-pod target'));
  }
  if (hasValue && hasAverage) {
    errs.push(fieldForbidden(path.child('target', 'value'), 'may not set both a target value for metric and a per-pod target'));
  }
  return errs;
}

function validatePodsSource(src: Json, path: FieldPath): FieldError[] {
  const errs = validateMetricIdentifier(src.metric, path.child('metric'));
  errs.push(...validateMetricTarget(src.target, path.child('target')));
  if (!present(src.target?.averageValue)) {
    errs.push(fieldRequired(path.child('target', 'averageValue'), 'must specify a positive target averageValue'));
  }
  return errs;
}

function validateUtilizationOrValue(target: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const hasUtilization = present(target?.averageUtilization);
  const hasValue = present(target?.averageValue);
  if (!hasUtilization && !hasValue) {
    errs.push(fieldRequired(path.child('target', 'averageUtilization'), 'must set either a target raw value or a target utilization'));
  }
  if (hasUtilization && hasValue) {
    errs.push(fieldForbidden(path.child('target', 'averageValue'), 'may not set both a target raw value and a target utilization'));
  }
  return errs;
}

function validateResourceSource(src: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (str(src.name) === '') errs.push(fieldRequired(path.child('name'), 'must specify a resource name'));
  errs.push(...validateMetricTarget(src.target, path.child('target')));
  errs.push(...validateUtilizationOrValue(src.target, path));
  return errs;
}

/** ValidateResourceName (core/v1 validation): qualified, and standard unless domain-prefixed. */
function validateResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => fieldInvalid(path, name, msg));
  if (errs.length) return errs;
  if (!name.includes('/') && !standardResources.has(name) && !isHugePages(name) && !name.startsWith('requests.hugepages-')) {
    return [fieldInvalid(path, name, 'must be a standard resource type or fully qualified')];
  }
  return [];
}

/** ValidateContainerResourceName (core/v1 validation). */
function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!standardContainerResources.has(name) && !isHugePages(name)) {
      errs.push(fieldInvalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!name.includes('kubernetes.io/')) {
    // Not native, so it must be an extended resource name.
    if (name.startsWith('requests.') || isQualifiedName(`requests.${name}`).length > 0) {
      errs.push(fieldInvalid(path, name, "doesn't follow extended resource name standard"));
    }
  }
  return errs;
}

function validateContainerResourceSource(src: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(src.name);
  if (name === '') errs.push(fieldRequired(path.child('name'), 'must specify a resource name'));
  else errs.push(...validateContainerResourceName(name, path.child('name')));
  const container = str(src.container);
  if (container === '') errs.push(fieldRequired(path.child('container'), 'must specify a container'));
  else for (const msg of isDNS1123Label(container)) errs.push(fieldInvalid(path.child('container'), container, msg));
  errs.push(...validateMetricTarget(src.target, path.child('target')));
  errs.push(...validateUtilizationOrValue(src.target, path));
  return errs;
}

const metricSourceTypes = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const sourceFields: [string, string, (src: Json, path: FieldPath) => FieldError[]][] = [
  ['Object', 'object', validateObjectSource],
  ['External', 'external', validateExternalSource],
  ['Pods', 'pods', validatePodsSource],
  ['Resource', 'resource', validateResourceSource],
  ['ContainerResource', 'containerResource', validateContainerResourceSource],
];

function validateMetricSpec(spec: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(spec?.type);
  if (type === '') errs.push(fieldRequired(path.child('type'), 'must specify a metric source type'));
  if (!metricSourceTypes.includes(type)) errs.push(fieldNotSupported(path.child('type'), type, metricSourceTypes));

  // Only the first source given is validated; the others are reported as extra below.
  const given: string[] = [];
  for (const [, field, validate] of sourceFields) {
    if (!present(spec?.[field])) continue;
    given.push(field);
    if (given.length === 1) errs.push(...validate(spec[field], path.child(field)));
  }
  const expected = sourceFields.find(([t]) => t === type)?.[1];
  if (expected === undefined) errs.push(fieldNotSupported(path.child('type'), type, metricSourceTypes));
  else if (!present(spec?.[expected])) {
    errs.push(fieldRequired(path.child(expected), 'must populate information for the given metric source'));
  }
  if (given.length !== 1) {
    for (const field of given.filter((f) => f !== expected).sort()) {
      errs.push(fieldForbidden(path.child(field), 'must populate the given metric source only'));
    }
  }
  return errs;
}

function validateMetrics(metrics: unknown, path: FieldPath, minReplicas: unknown): FieldError[] {
  const errs: FieldError[] = [];
  const list = Array.isArray(metrics) ? metrics : [];
  list.forEach((m, i) => errs.push(...validateMetricSpec(m, path.index(i))));
  if (minReplicas === 0 && !list.some((m) => m?.type === 'Object' || m?.type === 'External')) {
    errs.push(fieldForbidden(path, 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  return errs;
}

// ---- behavior ----

const selectPolicies = ['Disabled', 'Max', 'Min'];
const policyTypes = ['Percent', 'Pods'];

function validateScalingPolicy(policy: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(policy?.type);
  if (type !== 'Pods' && type !== 'Percent') errs.push(fieldNotSupported(path.child('type'), type, policyTypes));
  const value = int(policy?.value);
  if (value <= 0) errs.push(fieldInvalid(path.child('value'), value, 'must be greater than zero'));
  const period = int(policy?.periodSeconds);
  if (period <= 0) errs.push(fieldInvalid(path.child('periodSeconds'), period, 'must be greater than zero'));
  if (period > maxPeriodSeconds) {
    errs.push(fieldInvalid(path.child('periodSeconds'), period, `must be less than or equal to ${maxPeriodSeconds}`));
  }
  return errs;
}

function validateScalingRules(rules: Json, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!present(rules)) return errs;
  const window = rules.stabilizationWindowSeconds;
  if (present(window) && int(window) < 0) {
    errs.push(fieldInvalid(path.child('stabilizationWindowSeconds'), window, 'must be greater than or equal to zero'));
  }
  if (present(window) && int(window) > maxStabilizationWindowSeconds) {
    errs.push(
      fieldInvalid(path.child('stabilizationWindowSeconds'), window, `must be less than or equal to ${maxStabilizationWindowSeconds}`),
    );
  }
  if (present(rules.selectPolicy) && !selectPolicies.includes(str(rules.selectPolicy))) {
    errs.push(fieldNotSupported(path.child('selectPolicy'), rules.selectPolicy, selectPolicies));
  }
  const policies = Array.isArray(rules.policies) ? rules.policies : [];
  if (policies.length === 0) errs.push(fieldRequired(path.child('policies'), 'must specify at least one Policy'));
  policies.forEach((p: Json, i: number) => errs.push(...validateScalingPolicy(p, path.child('policies').index(i))));
  if (present(rules.tolerance) && quantitySign(rules.tolerance) < 0) {
    errs.push(fieldInvalid(path.child('tolerance'), goQuantity(rules.tolerance), 'must be greater than or equal to zero'));
  }
  return errs;
}

// ---- the object ----

function validateSpec(spec: Json, minReplicasLowerBound: number): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('spec');
  const min = spec?.minReplicas;
  const max = int(spec?.maxReplicas);
  if (present(min) && int(min) < minReplicasLowerBound) {
    errs.push(fieldInvalid(path.child('minReplicas'), min, `must be greater than or equal to ${minReplicasLowerBound}`));
  }
  if (max < 1) errs.push(fieldInvalid(path.child('maxReplicas'), max, 'must be greater than 0'));
  if (present(min) && max < int(min)) errs.push(fieldInvalid(path.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionObjectReference(spec?.scaleTargetRef, path.child('scaleTargetRef')));
  errs.push(...validateMetrics(spec?.metrics, path.child('metrics'), min));
  if (present(spec?.behavior)) {
    errs.push(...validateScalingRules(spec.behavior.scaleUp, path.child('behavior', 'scaleUp')));
    errs.push(...validateScalingRules(spec.behavior.scaleDown, path.child('behavior', 'scaleDown')));
  }
  return errs;
}

/** ValidateHorizontalPodAutoscaler; HPAScaleToZero is off by default, so minReplicas starts at 1. */
export function validateCreate(hpa: KObject): FieldError[] {
  return validateSpec(hpa.spec, 1);
}

/** ValidateHorizontalPodAutoscalerUpdate: an HPA already at minReplicas 0 may stay there. */
export function validateUpdate(hpa: KObject, old: KObject): FieldError[] {
  return validateSpec(hpa.spec, old.spec?.minReplicas === 0 ? 0 : 1);
}
