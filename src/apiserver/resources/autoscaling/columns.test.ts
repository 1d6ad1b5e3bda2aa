// Tests for the autoscaling/v2 HorizontalPodAutoscaler printer, metric by metric type, against upstream's formats.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../registry/kobject.ts';
import { printer as hpa } from './horizontalpodautoscaler/columns.ts';

const now = new Date('2025-06-01T12:00:00Z');

function obj(metrics: unknown[] | undefined, currentMetrics?: unknown[], extra: Record<string, unknown> = {}): KObject {
  return {
    metadata: { name: 'web', creationTimestamp: '2025-06-01T09:00:00Z' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10, metrics, ...extra },
    status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics },
  };
}

const cpuUtil = (target?: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } });
const memUtil = (target: number) => ({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: target } } });
const resourceNow = (name: string, current: Record<string, unknown>) => ({ type: 'Resource', resource: { name, current } });

describe('hpa columns match upstream', () => {
  it('names, types and priorities', () => {
    assert.deepEqual(
      hpa.columns.map((c) => [c.name, c.type, c.priority]),
      [['Name', 'string', 0], ['Reference', 'string', 0], ['Targets', 'string', 0], ['MinPods', 'string', 0], ['MaxPods', 'string', 0], ['Replicas', 'string', 0], ['Age', 'string', 0]],
    );
  });
});

describe('hpa rows', () => {
  it('a whole row', () => {
    assert.deepEqual(hpa.row(obj([cpuUtil(70)], [resourceNow('cpu', { averageUtilization: 40, averageValue: '120m' })]), now), ['web', 'Deployment/web', 'cpu: 40%/70%', '2', 10, 3, '3h']);
  });
  it('without minReplicas', () => {
    assert.deepEqual(hpa.row(obj([cpuUtil(70)], undefined, { minReplicas: undefined }), now), ['web', 'Deployment/web', 'cpu: <unknown>/70%', '<unset>', 10, 3, '3h']);
  });
});

describe('hpa targets', () => {
  const cases: [string, unknown[] | undefined, unknown[] | undefined, string][] = [
    ['no metrics', undefined, undefined, '<none>'],
    ['utilization before any measurement', [cpuUtil(70)], undefined, 'cpu: <unknown>/70%'],
    ['utilization measured', [memUtil(80)], [resourceNow('memory', { averageUtilization: 40 })], 'memory: 40%/80%'],
    ['utilization target missing', [cpuUtil()], [resourceNow('cpu', { averageValue: '100m' })], 'cpu: <unknown>/<auto>'],
    [
      'average value resource target',
      [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } }],
      [resourceNow('cpu', { averageValue: '250m' })],
      'cpu: 250m/500m',
    ],
    [
      'container resource utilization',
      [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } }],
      [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 55 } } }],
      'cpu: 55%/60%',
    ],
    [
      'pods metric',
      [{ type: 'Pods', pods: { metric: { name: 'packets-per-second' }, target: { type: 'AverageValue', averageValue: '1k' } } }],
      [{ type: 'Pods', pods: { metric: { name: 'packets-per-second' }, current: { averageValue: '866' } } }],
      '866/1k',
    ],
    ['pods metric unmeasured', [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } }], [], '<unknown>/10'],
    [
      'object metric by value',
      [{ type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'main' }, metric: { name: 'requests-per-second' }, target: { type: 'Value', value: '10k' } } }],
      [{ type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'main' }, metric: { name: 'requests-per-second' }, current: { value: '2k' } } }],
      '2k/10k',
    ],
    ['object metric by average, unmeasured', [{ type: 'Object', object: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '2' } } }], undefined, '<unknown>/2 (avg)'],
    [
      'external metric by average',
      [{ type: 'External', external: { metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '30' } } }],
      [{ type: 'External', external: { metric: { name: 'queue_messages_ready' }, current: { averageValue: '12' } } }],
      '12/30 (avg)',
    ],
    ['external metric by value, unmeasured', [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '100' } } }], undefined, '<unknown>/100'],
    ['an unknown type', [{ type: 'Custom' }], undefined, '<unknown type>'],
    ['statuses match specs by position', [cpuUtil(70), memUtil(80)], [resourceNow('cpu', { averageUtilization: 10 })], 'cpu: 10%/70%, memory: <unknown>/80%'],
    ['two shown, the rest counted', [cpuUtil(70), memUtil(80), cpuUtil(90)], [resourceNow('cpu', { averageUtilization: 35 }), resourceNow('memory', { averageUtilization: 40 })], 'cpu: 35%/70%, memory: 40%/80% + 1 more...'],
  ];
  for (const [name, metrics, current, want] of cases) {
    it(name, () => assert.equal(hpa.row(obj(metrics, current), now)[2], want));
  }
});
