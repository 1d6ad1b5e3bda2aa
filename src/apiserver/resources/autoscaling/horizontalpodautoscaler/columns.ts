// Table columns for autoscaling/v2 HorizontalPodAutoscalers: scale target, current/target metrics, replica bounds and count.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

type Quantity = string | number;

interface MetricTarget {
  type?: string;
  value?: Quantity | null;
  averageValue?: Quantity | null;
  averageUtilization?: number | null;
}

interface MetricValueStatus {
  value?: Quantity | null;
  averageValue?: Quantity | null;
  averageUtilization?: number | null;
}

interface MetricSpec {
  type?: string;
  resource?: { name?: string; target?: MetricTarget } | null;
  containerResource?: { name?: string; container?: string; target?: MetricTarget } | null;
  pods?: { target?: MetricTarget } | null;
  object?: { target?: MetricTarget } | null;
  external?: { target?: MetricTarget } | null;
}

interface MetricStatus {
  resource?: { current?: MetricValueStatus } | null;
  containerResource?: { current?: MetricValueStatus } | null;
  pods?: { current?: MetricValueStatus } | null;
  object?: { current?: MetricValueStatus } | null;
  external?: { current?: MetricValueStatus } | null;
}

const SHOWN = 2;
const UNKNOWN = '<unknown>';

function isSet<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

/** A quantity as stored, or `<nil>` for a missing one, which is what Go prints for a nil *Quantity. */
function quantity(q: Quantity | null | undefined): string {
  return isSet(q) ? String(q) : '<nil>';
}

/** Object and External metrics: an average target prints with `(avg)`, a value target without. */
function valueMetric(target: MetricTarget, current: { current?: MetricValueStatus } | null | undefined): string {
  if (isSet(target.averageValue)) {
    const now = isSet(current?.current?.averageValue) ? String(current.current.averageValue) : UNKNOWN;
    return `${now}/${quantity(target.averageValue)} (avg)`;
  }
  const now = isSet(current) ? quantity(current.current?.value) : UNKNOWN;
  return `${now}/${quantity(target.value)}`;
}

/** Resource and ContainerResource metrics: `name: current/target`, as values or as utilization percentages. */
function resourceMetric(name: string, target: MetricTarget, current: { current?: MetricValueStatus } | null | undefined): string {
  if (isSet(target.averageValue)) {
    const now = isSet(current) ? quantity(current.current?.averageValue) : UNKNOWN;
    return `${name}: ${now}/${quantity(target.averageValue)}`;
  }
  const now = isSet(current?.current?.averageUtilization) ? `${current.current.averageUtilization}%` : UNKNOWN;
  const wanted = isSet(target.averageUtilization) ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${wanted}`;
}

/**
 * One `current/target` entry per metric, the first two shown and the rest counted as `+ N more...`.
 * Status entries are matched to spec entries by position, as upstream does.
 */
function formatMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | undefined): string {
  if (!specs || specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => {
    const status = statuses?.[i];
    switch (spec.type) {
      case 'External':
        return valueMetric(spec.external?.target ?? {}, status?.external);
      case 'Pods': {
        const now = isSet(status?.pods) ? quantity(status.pods.current?.averageValue) : UNKNOWN;
        return `${now}/${quantity(spec.pods?.target?.averageValue)}`;
      }
      case 'Object':
        return valueMetric(spec.object?.target ?? {}, status?.object);
      case 'Resource':
        return resourceMetric(spec.resource?.name ?? '', spec.resource?.target ?? {}, status?.resource);
      case 'ContainerResource':
        return resourceMetric(spec.containerResource?.name ?? '', spec.containerResource?.target ?? {}, status?.containerResource);
      default:
        return '<unknown type>';
    }
  });
  const text = list.slice(0, SHOWN).join(', ');
  return list.length > SHOWN ? `${text} + ${list.length - SHOWN} more...` : text;
}

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Reference', 'string', 'Kind and name of the scaled object.'),
    column('Targets', 'string', 'Current and target value of each metric.'),
    column('MinPods', 'string', 'Fewest replicas the autoscaler may scale down to.'),
    column('MaxPods', 'string', 'Most replicas the autoscaler may scale up to.'),
    column('Replicas', 'string', 'Replicas the autoscaler last observed.'),
    ageColumn,
  ],
  row(hpa: KObject, now: Date): unknown[] {
    const spec = hpa.spec ?? {};
    const status = hpa.status ?? {};
    const ref = spec.scaleTargetRef ?? {};
    return [
      hpa.metadata.name ?? '',
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      formatMetrics(spec.metrics, status.currentMetrics),
      isSet(spec.minReplicas) ? String(spec.minReplicas) : '<unset>',
      spec.maxReplicas ?? 0,
      status.currentReplicas ?? 0,
      age(hpa.metadata.creationTimestamp, now),
    ];
  },
};
