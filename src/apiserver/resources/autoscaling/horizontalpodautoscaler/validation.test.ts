import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';
import { goQuantity } from './validation.ts';

const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());
// The seed manifest, verbatim, as the repository carries it.
const seedText = readFileSync(new URL('../../../../../examples/seed/11-hpa-order-service.yaml', import.meta.url), 'utf8');

const hpa = (spec: KObject['spec']): KObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec,
});
const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

test('the seed HPA is accepted as written and keeps its behavior', () => {
  const seed = parse(seedText) as KObject;
  strategy.defaults!(seed);
  strategy.prepareForCreate!(seed);
  assert.deepEqual(messages(strategy.validate!(seed)), []);
  assert.equal(seed.spec.minReplicas, 5);
  assert.equal(seed.spec.metrics.length, 3);
  assert.deepEqual(seed.spec.behavior.scaleDown, {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Min',
    policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
  });
  assert.deepEqual(seed.status, { currentMetrics: null, desiredReplicas: 0 });
});

test('defaulting fills minReplicas, the CPU metric and only the missing parts of a behavior', () => {
  const cases: { name: string; spec: KObject['spec']; want: KObject['spec'] }[] = [
    {
      name: 'bare',
      spec: { scaleTargetRef: target, maxReplicas: 3 },
      want: {
        scaleTargetRef: target,
        maxReplicas: 3,
        minReplicas: 1,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    },
    {
      name: 'scale-down window only',
      spec: { scaleTargetRef: target, minReplicas: 2, maxReplicas: 3, metrics: [{ type: 'Pods' }], behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
      want: {
        scaleTargetRef: target,
        minReplicas: 2,
        maxReplicas: 3,
        metrics: [{ type: 'Pods' }],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              { type: 'Pods', value: 4, periodSeconds: 15 },
              { type: 'Percent', value: 100, periodSeconds: 15 },
            ],
          },
          // No window is defaulted for scale-down: the controller's flag supplies it.
          scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
        },
      },
    },
    {
      name: 'empty scale-up',
      spec: { scaleTargetRef: target, maxReplicas: 3, metrics: [{ type: 'Pods' }], behavior: { scaleUp: { selectPolicy: 'Disabled' } } },
      want: {
        scaleTargetRef: target,
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [{ type: 'Pods' }],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Disabled',
            policies: [
              { type: 'Pods', value: 4, periodSeconds: 15 },
              { type: 'Percent', value: 100, periodSeconds: 15 },
            ],
          },
          scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
        },
      },
    },
  ];
  for (const c of cases) {
    const obj = hpa(c.spec);
    strategy.defaults!(obj);
    assert.deepEqual(obj.spec, c.want, c.name);
  }
});

test('HPA specs are validated with upstream messages', () => {
  const cpu = (t: Record<string, unknown>) => ({ type: 'Resource', resource: { name: 'cpu', target: t } });
  const cases: { name: string; spec: KObject['spec']; want: string[] }[] = [
    {
      name: 'replicas',
      spec: { scaleTargetRef: target, minReplicas: 0, maxReplicas: 0 },
      want: [
        'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
        'spec.maxReplicas: Invalid value: 0: must be greater than 0',
        'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
      ],
    },
    {
      name: 'max below min, target missing',
      spec: { scaleTargetRef: { kind: '', name: 'a/b' }, minReplicas: 5, maxReplicas: 2 },
      want: [
        'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
        'spec.scaleTargetRef.kind: Required value',
        "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
      ],
    },
    {
      name: 'target types and values',
      spec: {
        scaleTargetRef: target,
        maxReplicas: 3,
        metrics: [
          cpu({ type: 'Percent', averageUtilization: 0 }),
          cpu({ type: 'AverageValue', averageValue: '-100m', averageUtilization: 50 }),
          cpu({}),
        ],
      },
      want: [
        'spec.metrics[0].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue',
        'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
        'spec.metrics[1].resource.target.averageValue: Invalid value: resource.Quantity{i:resource.int64Amount{value:-100, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"-100m", Format:"DecimalSI"}: must be positive',
        'spec.metrics[1].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization',
        'spec.metrics[2].resource.target.type: Required value: must specify a metric target type',
        'spec.metrics[2].resource.target.type: Invalid value: "": must be either Utilization, Value, or AverageValue',
        'spec.metrics[2].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
      ],
    },
    {
      name: 'metric sources',
      spec: {
        scaleTargetRef: target,
        maxReplicas: 3,
        metrics: [
          { type: 'Pods', pods: { metric: { name: '' }, target: { type: 'AverageValue' } } },
          { type: 'Object', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '0' } } },
          { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '1', averageValue: '1' } } },
          { type: '' },
        ],
      },
      want: [
        'spec.metrics[0].pods.metric.name: Required value: must specify a metric name',
        'spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue',
        'spec.metrics[1].pods.target.averageValue: Invalid value: resource.Quantity{i:resource.int64Amount{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"0", Format:"DecimalSI"}: must be positive',
        'spec.metrics[1].object: Required value: must populate information for the given metric source',
        'spec.metrics[2].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target',
        'spec.metrics[3].type: Required value: must specify a metric source type',
        'spec.metrics[3].type: Unsupported value: "": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
        'spec.metrics[3].type: Unsupported value: "": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
      ],
    },
    {
      name: 'behavior',
      spec: {
        scaleTargetRef: target,
        maxReplicas: 3,
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 3601, selectPolicy: 'Fastest', policies: [{ type: 'Replicas', value: 0, periodSeconds: 1801 }] },
          scaleDown: { stabilizationWindowSeconds: -1, policies: [] },
        },
      },
      want: [
        'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600',
        'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Fastest": supported values: "Disabled", "Max", "Min"',
        'spec.behavior.scaleUp.policies[0].type: Unsupported value: "Replicas": supported values: "Percent", "Pods"',
        'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
        'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800',
        'spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero',
        'spec.behavior.scaleDown.policies: Required value: must specify at least one Policy',
      ],
    },
  ];
  for (const c of cases) assert.deepEqual(messages(strategy.validate!(hpa(c.spec))), c.want, c.name);
});

test('an HPA already at zero replicas may stay there on update', () => {
  const obj = hpa({ scaleTargetRef: target, minReplicas: 0, maxReplicas: 2, metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '5' } } }] });
  assert.deepEqual(messages(strategy.validateUpdate!(obj, obj)), []);
  assert.deepEqual(messages(strategy.validateUpdate!(obj, hpa({ minReplicas: 1 }))), ['spec.minReplicas: Invalid value: 0: must be greater than or equal to 1']);
});

test('quantities print as Go prints a resource.Quantity value', () => {
  const repr = (value: string, scale: number, s: string, format = 'DecimalSI') =>
    `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:${JSON.stringify(s)}, Format:"${format}"}`;
  const cases: [unknown, string][] = [
    ['0', repr('0', 0, '0')],
    ['-1', repr('-1', 0, '-1')],
    ['-0.5', repr('-5', -1, '')],
    ['-1000', repr('-1000', 0, '')],
    ['-1Ki', repr('-1024', 0, '-1Ki', 'BinarySI')],
    ['-8Ki', repr('-8192', 0, '', 'BinarySI')],
    [-2, repr('-2', 0, '-2')],
    ['-1e3', repr('-1', 3, '-1e3', 'DecimalExponent')],
  ];
  for (const [input, want] of cases) assert.equal(String((goQuantity(input) as { text: string }).text), want, String(input));
});

test('tolerance is dropped while HPAConfigurableTolerance is off, unless already stored', () => {
  const withTolerance = () => hpa({ scaleTargetRef: target, maxReplicas: 2, behavior: { scaleUp: { tolerance: '0.05' } } });
  const created = withTolerance();
  strategy.prepareForCreate!(created);
  assert.deepEqual(created.spec.behavior, { scaleUp: {} });
  const updated = withTolerance();
  strategy.prepareForUpdate!(updated, withTolerance());
  assert.deepEqual(updated.spec.behavior, { scaleUp: { tolerance: '0.05' } });
});
