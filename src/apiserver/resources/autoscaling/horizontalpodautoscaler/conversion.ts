// Conversion between the stored autoscaling/v2 HorizontalPodAutoscaler and autoscaling/v1, with upstream's annotations.
import { Quantity } from '../../../../machinery/quantity.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { defaultCPUMetric } from './defaults.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Metrics other than the CPU utilization target, in autoscaling/v1 MetricSpec form. */
export const metricSpecsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
/** Every current metric, in autoscaling/v1 MetricStatus form. */
export const metricStatusesAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
/** The status conditions. */
export const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
/** The behavior, marshalled from upstream's internal type (Go field names, no json tags). */
export const behaviorSpecsAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';

const roundTripAnnotations = [metricSpecsAnnotation, behaviorSpecsAnnotation, metricStatusesAnnotation, conditionsAnnotation];

const present = (v: unknown): boolean => v !== undefined && v !== null;
const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** json.Marshal's output: compact, with <, >, & and the line separators escaped. */
export function goJSON(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A quantity as Go marshals it: the canonical text ("0" for the zero value of a non-pointer field). */
function quantity(v: unknown): string {
  if (!present(v)) return '0';
  try {
    return Quantity.fromJSON(v).toString();
  } catch {
    return String(v);
  }
}

function setIf(out: Json, key: string, v: unknown, map: (x: Json) => Json = (x) => x): void {
  if (present(v)) out[key] = map(v);
}

/** CrossVersionObjectReference: kind and name always, apiVersion when set. */
function ref(r: Json): Json {
  const out: Json = { kind: str(r?.kind), name: str(r?.name) };
  if (str(r?.apiVersion) !== '') out.apiVersion = r.apiVersion;
  return out;
}

function identifier(name: unknown, selector: unknown): Json {
  const out: Json = { name: str(name) };
  setIf(out, 'selector', selector, structuredClone);
  return out;
}

// ---- metric specs ----

function metricSpecToV1(m: Json): Json {
  const out: Json = { type: str(m?.type) };
  if (present(m?.object)) {
    const o = m.object;
    const v: Json = { target: ref(o.describedObject), metricName: str(o.metric?.name), targetValue: quantity(o.target?.value) };
    setIf(v, 'selector', o.metric?.selector, structuredClone);
    setIf(v, 'averageValue', o.target?.averageValue, quantity);
    out.object = v;
  }
  if (present(m?.pods)) {
    const p = m.pods;
    const v: Json = { metricName: str(p.metric?.name), targetAverageValue: quantity(p.target?.averageValue) };
    setIf(v, 'selector', p.metric?.selector, structuredClone);
    out.pods = v;
  }
  for (const key of ['resource', 'containerResource']) {
    if (!present(m?.[key])) continue;
    const r = m[key];
    const v: Json = { name: str(r.name) };
    setIf(v, 'targetAverageUtilization', r.target?.averageUtilization);
    setIf(v, 'targetAverageValue', r.target?.averageValue, quantity);
    if (key === 'containerResource') v.container = str(r.container);
    out[key] = v;
  }
  if (present(m?.external)) {
    const e = m.external;
    const v: Json = { metricName: str(e.metric?.name) };
    setIf(v, 'metricSelector', e.metric?.selector, structuredClone);
    setIf(v, 'targetValue', e.target?.value, quantity);
    setIf(v, 'targetAverageValue', e.target?.averageValue, quantity);
    out.external = v;
  }
  return out;
}

function metricSpecFromV1(m: Json): Json {
  const out: Json = { type: str(m?.type) };
  if (present(m?.object)) {
    const o = m.object;
    const target: Json = { type: present(o.averageValue) ? 'AverageValue' : 'Value', value: quantity(o.targetValue) };
    setIf(target, 'averageValue', o.averageValue, quantity);
    out.object = { describedObject: ref(o.target), target, metric: identifier(o.metricName, o.selector) };
  }
  if (present(m?.pods)) {
    const p = m.pods;
    out.pods = {
      metric: identifier(p.metricName, p.selector),
      target: { type: 'AverageValue', averageValue: quantity(p.targetAverageValue) },
    };
  }
  for (const key of ['resource', 'containerResource']) {
    if (!present(m?.[key])) continue;
    const r = m[key];
    const target: Json = { type: present(r.targetAverageUtilization) ? 'Utilization' : 'AverageValue' };
    setIf(target, 'averageValue', r.targetAverageValue, quantity);
    setIf(target, 'averageUtilization', r.targetAverageUtilization);
    const v: Json = { name: str(r.name), target };
    if (key === 'containerResource') v.container = str(r.container);
    out[key] = v;
  }
  if (present(m?.external)) {
    const e = m.external;
    const target: Json = { type: present(e.targetValue) ? 'Value' : 'AverageValue' };
    setIf(target, 'value', e.targetValue, quantity);
    setIf(target, 'averageValue', e.targetAverageValue, quantity);
    out.external = { metric: identifier(e.metricName, e.metricSelector), target };
  }
  return out;
}

// ---- metric statuses ----

function metricStatusToV1(m: Json): Json {
  const out: Json = { type: str(m?.type) };
  if (present(m?.object)) {
    const o = m.object;
    const v: Json = { target: ref(o.describedObject), metricName: str(o.metric?.name), currentValue: quantity(o.current?.value) };
    setIf(v, 'selector', o.metric?.selector, structuredClone);
    setIf(v, 'averageValue', o.current?.averageValue, quantity);
    out.object = v;
  }
  if (present(m?.pods)) {
    const p = m.pods;
    const v: Json = { metricName: str(p.metric?.name), currentAverageValue: quantity(p.current?.averageValue) };
    setIf(v, 'selector', p.metric?.selector, structuredClone);
    out.pods = v;
  }
  for (const key of ['resource', 'containerResource']) {
    if (!present(m?.[key])) continue;
    const r = m[key];
    const v: Json = { name: str(r.name) };
    setIf(v, 'currentAverageUtilization', r.current?.averageUtilization);
    v.currentAverageValue = quantity(r.current?.averageValue);
    if (key === 'containerResource') v.container = str(r.container);
    out[key] = v;
  }
  if (present(m?.external)) {
    const e = m.external;
    const v: Json = { metricName: str(e.metric?.name) };
    setIf(v, 'metricSelector', e.metric?.selector, structuredClone);
    v.currentValue = quantity(e.current?.value);
    setIf(v, 'currentAverageValue', e.current?.averageValue, quantity);
    out.external = v;
  }
  return out;
}

function metricStatusFromV1(m: Json): Json {
  const out: Json = { type: str(m?.type) };
  if (present(m?.object)) {
    const o = m.object;
    const current: Json = { value: quantity(o.currentValue) };
    setIf(current, 'averageValue', o.averageValue, quantity);
    out.object = { metric: identifier(o.metricName, o.selector), current, describedObject: ref(o.target) };
  }
  if (present(m?.pods)) {
    const p = m.pods;
    out.pods = { metric: identifier(p.metricName, p.selector), current: { averageValue: quantity(p.currentAverageValue) } };
  }
  for (const key of ['resource', 'containerResource']) {
    if (!present(m?.[key])) continue;
    const r = m[key];
    const current: Json = { averageValue: quantity(r.currentAverageValue) };
    setIf(current, 'averageUtilization', r.currentAverageUtilization);
    const v: Json = { name: str(r.name), current };
    if (key === 'containerResource') v.container = str(r.container);
    out[key] = v;
  }
  if (present(m?.external)) {
    const e = m.external;
    const current: Json = { value: quantity(e.currentValue) };
    setIf(current, 'averageValue', e.currentAverageValue, quantity);
    out.external = { metric: identifier(e.metricName, e.metricSelector), current };
  }
  return out;
}

function condition(c: Json): Json {
  const out: Json = { type: str(c?.type), status: str(c?.status), lastTransitionTime: present(c?.lastTransitionTime) ? c.lastTransitionTime : null };
  if (str(c?.reason) !== '') out.reason = c.reason;
  if (str(c?.message) !== '') out.message = c.message;
  return out;
}

// ---- behavior, as the internal Go type marshals ----

function behaviorToGo(b: Json): Json {
  const rules = (r: Json): Json => {
    if (!present(r)) return null;
    return {
      StabilizationWindowSeconds: present(r.stabilizationWindowSeconds) ? r.stabilizationWindowSeconds : null,
      SelectPolicy: present(r.selectPolicy) ? r.selectPolicy : null,
      Policies: Array.isArray(r.policies)
        ? r.policies.map((p: Json) => ({ Type: str(p?.type), Value: p?.value ?? 0, PeriodSeconds: p?.periodSeconds ?? 0 }))
        : null,
      Tolerance: present(r.tolerance) ? quantity(r.tolerance) : null,
    };
  };
  return { ScaleUp: rules(b?.scaleUp), ScaleDown: rules(b?.scaleDown) };
}

/** A field of a Go-decoded object: an exact key match first, then any case, as encoding/json matches. */
function goField(o: Json, name: string): Json {
  if (!isObject(o)) return undefined;
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  const key = Object.keys(o).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : o[key];
}

function behaviorFromGo(raw: Json): Json | undefined {
  if (!isObject(raw)) return undefined;
  const rules = (r: Json): Json => {
    if (!isObject(r)) return undefined;
    const out: Json = {};
    setIf(out, 'stabilizationWindowSeconds', goField(r, 'StabilizationWindowSeconds'));
    setIf(out, 'selectPolicy', goField(r, 'SelectPolicy'));
    const policies = goField(r, 'Policies');
    if (Array.isArray(policies)) {
      out.policies = policies.map((p: Json) => ({
        type: str(goField(p, 'Type')),
        value: goField(p, 'Value') ?? 0,
        periodSeconds: goField(p, 'PeriodSeconds') ?? 0,
      }));
    }
    setIf(out, 'tolerance', goField(r, 'Tolerance'), quantity);
    return out;
  };
  const out: Json = {};
  setIf(out, 'scaleUp', rules(goField(raw, 'ScaleUp')));
  setIf(out, 'scaleDown', rules(goField(raw, 'ScaleDown')));
  // The zero behavior (both directions unset) is no behavior.
  return Object.keys(out).length ? out : undefined;
}

/** DropRoundTripHorizontalPodAutoscalerAnnotations on a metadata copy; an emptied map is removed. */
function dropRoundTripAnnotations(metadata: Json): void {
  const a = metadata.annotations;
  if (!isObject(a) || !roundTripAnnotations.some((k) => k in a)) return;
  for (const k of roundTripAnnotations) delete a[k];
  if (Object.keys(a).length === 0) delete metadata.annotations;
}

function annotate(metadata: Json, key: string, value: string): void {
  if (!isObject(metadata.annotations)) metadata.annotations = {};
  metadata.annotations[key] = value;
}

const parseJSON = (text: unknown): Json => {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const isCPU = (m: Json) => m?.type === 'Resource' && present(m.resource) && m.resource.name === 'cpu';

/** Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler, from the stored v2 object. */
export function toV1(hpa: KObject): KObject {
  const metadata: Json = structuredClone(hpa.metadata);
  dropRoundTripAnnotations(metadata);
  const inSpec: Json = hpa.spec ?? {};
  const inStatus: Json = hpa.status ?? {};
  const metrics: Json[] = Array.isArray(inSpec.metrics) ? inSpec.metrics : [];

  const spec: Json = { scaleTargetRef: ref(inSpec.scaleTargetRef) };
  setIf(spec, 'minReplicas', inSpec.minReplicas);
  spec.maxReplicas = inSpec.maxReplicas ?? 0;
  // The first CPU resource metric decides; only a utilization target fits v1's one field.
  const cpu = metrics.find(isCPU);
  if (present(cpu?.resource.target?.averageUtilization)) spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;

  const status: Json = {};
  setIf(status, 'observedGeneration', inStatus.observedGeneration);
  setIf(status, 'lastScaleTime', inStatus.lastScaleTime);
  status.currentReplicas = inStatus.currentReplicas ?? 0;
  status.desiredReplicas = inStatus.desiredReplicas ?? 0;
  const currentMetrics: Json[] = Array.isArray(inStatus.currentMetrics) ? inStatus.currentMetrics : [];
  // No early exit upstream: the last CPU utilization reading wins.
  for (const m of currentMetrics) {
    if (isCPU(m) && present(m.resource.current?.averageUtilization)) status.currentCPUUtilizationPercentage = m.resource.current.averageUtilization;
  }

  const others = metrics.filter((m) => !(isCPU(m) && present(m.resource.target?.averageUtilization)));
  if (others.length > 0) annotate(metadata, metricSpecsAnnotation, goJSON(others.map(metricSpecToV1)));
  // The statuses are saved even when one maps to the CPU percentage, to keep its raw value too.
  if (currentMetrics.length > 0) annotate(metadata, metricStatusesAnnotation, goJSON(currentMetrics.map(metricStatusToV1)));
  if (present(inSpec.behavior)) annotate(metadata, behaviorSpecsAnnotation, goJSON(behaviorToGo(inSpec.behavior)));
  const conditions: Json[] = Array.isArray(inStatus.conditions) ? inStatus.conditions : [];
  if (conditions.length > 0) annotate(metadata, conditionsAnnotation, goJSON(conditions.map(condition)));

  return { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec, status };
}

/** Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler, to the v2 object to store. */
export function fromV1(hpa: KObject): KObject {
  const metadata: Json = structuredClone(hpa.metadata);
  const annotations: Json = isObject(metadata.annotations) ? metadata.annotations : {};
  const inSpec: Json = hpa.spec ?? {};
  const inStatus: Json = hpa.status ?? {};

  const spec: Json = { scaleTargetRef: ref(inSpec.scaleTargetRef) };
  // SetDefaults_HorizontalPodAutoscaler of autoscaling/v1.
  spec.minReplicas = present(inSpec.minReplicas) ? inSpec.minReplicas : 1;
  spec.maxReplicas = inSpec.maxReplicas ?? 0;
  let metrics: Json[] = [];
  if (present(inSpec.targetCPUUtilizationPercentage)) {
    metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: inSpec.targetCPUUtilizationPercentage } } },
    ];
  }

  const status: Json = {};
  setIf(status, 'observedGeneration', inStatus.observedGeneration);
  setIf(status, 'lastScaleTime', inStatus.lastScaleTime);
  if (present(inStatus.currentReplicas) && inStatus.currentReplicas !== 0) status.currentReplicas = inStatus.currentReplicas;
  status.desiredReplicas = inStatus.desiredReplicas ?? 0;
  status.currentMetrics = present(inStatus.currentCPUUtilizationPercentage)
    ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: inStatus.currentCPUUtilizationPercentage } } }]
    : null;

  const others = parseJSON(annotations[metricSpecsAnnotation]);
  // The CPU metric from the spec, if any, goes after the annotated ones.
  if (Array.isArray(others)) metrics = [...others.map(metricSpecFromV1), ...metrics];
  const behavior = behaviorFromGo(parseJSON(annotations[behaviorSpecsAnnotation]));
  const current = parseJSON(annotations[metricStatusesAnnotation]);
  // The annotated statuses carry more than the percentage; they replace it.
  if (Array.isArray(current)) status.currentMetrics = current.map(metricStatusFromV1);
  // autoscaling/v1 once defaulted to 80% CPU in the controller; v2 says so explicitly.
  spec.metrics = metrics.length > 0 ? metrics : [defaultCPUMetric()];
  if (behavior) spec.behavior = behavior;
  const conditions = parseJSON(annotations[conditionsAnnotation]);
  if (Array.isArray(conditions)) status.conditions = conditions.map(condition);
  dropRoundTripAnnotations(metadata);

  const out: Json = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec, status };
  return out as KObject;
}
