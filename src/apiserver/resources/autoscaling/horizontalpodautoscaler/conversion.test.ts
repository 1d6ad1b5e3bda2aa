import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';
import { behaviorSpecsAnnotation, conditionsAnnotation, fromV1, metricSpecsAnnotation, metricStatusesAnnotation, toV1 } from './conversion.ts';

/** The seed HPA as it is stored: decoded as autoscaling/v2, defaulted, with a status the controller wrote. */
function storedSeed(): KObject {
  const seed = parse(readFileSync(new URL('../../../../../examples/seed/11-hpa-order-service.yaml', import.meta.url), 'utf8')) as KObject;
  strategy.defaults!(seed);
  seed.metadata.annotations = { owner: 'orders-team' };
  seed.status = {
    currentReplicas: 5,
    desiredReplicas: 5,
    currentMetrics: [
      { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '350m', averageUtilization: 35 } } },
      { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, current: { averageValue: '42' } } },
    ],
    conditions: [
      { type: 'ScalingActive', status: 'False', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'FailedGetResourceMetric', message: 'missing request for cpu' },
    ],
  };
  return seed;
}

test('the seed HPA read as autoscaling/v1 carries CPU in the spec and the rest in annotations', () => {
  const v1 = toV1(storedSeed());
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.deepEqual(v1.spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'swiggy-order-service', apiVersion: 'apps/v1' },
    minReplicas: 5,
    maxReplicas: 100,
    targetCPUUtilizationPercentage: 70,
  });
  assert.deepEqual(v1.status, { currentReplicas: 5, desiredReplicas: 5, currentCPUUtilizationPercentage: 35 });
  const a = v1.metadata.annotations!;
  assert.equal(a.owner, 'orders-team');
  assert.equal(
    a[metricSpecsAnnotation],
    '[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":80}},{"type":"Pods","pods":{"metricName":"requests_per_second","targetAverageValue":"100"}}]',
  );
  assert.equal(
    a[metricStatusesAnnotation],
    '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":35,"currentAverageValue":"350m"}},{"type":"Pods","pods":{"metricName":"requests_per_second","currentAverageValue":"42"}}]',
  );
  assert.equal(
    a[behaviorSpecsAnnotation],
    '{"ScaleUp":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15},{"Type":"Pods","Value":4,"PeriodSeconds":15}],"Tolerance":null},' +
      '"ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":"Min","Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":null}}',
  );
  assert.equal(
    a[conditionsAnnotation],
    '[{"type":"ScalingActive","status":"False","lastTransitionTime":"2025-01-01T00:00:00Z","reason":"FailedGetResourceMetric","message":"missing request for cpu"}]',
  );
});

test('v2 → v1 → v2 loses nothing; the CPU target comes back last, as upstream orders it', () => {
  const stored = storedSeed();
  const back = fromV1(toV1(stored));
  const [cpu, memory, rps] = stored.spec.metrics;
  assert.deepEqual(back.spec, { ...stored.spec, metrics: [memory, rps, cpu] });
  assert.deepEqual(back.status, stored.status);
  assert.deepEqual(back.metadata, stored.metadata);
  assert.equal(back.apiVersion, 'autoscaling/v2');
  // With the CPU target already last, the round trip is exact.
  const ordered = { ...stored, spec: { ...stored.spec, metrics: [memory, rps, cpu] } };
  assert.deepEqual(fromV1(toV1(ordered)), ordered);
});

test('every metric source survives the trip through v1 annotations', () => {
  const metrics = [
    { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'main', apiVersion: 'networking.k8s.io/v1' }, target: { type: 'Value', value: '2k' }, metric: { name: 'hits' } } },
    { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'orders' } } }, target: { type: 'AverageValue', averageValue: '30' } } },
    { type: 'ContainerResource', containerResource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' }, container: 'app' } },
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } },
  ];
  const stored: KObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 4, metrics },
    status: { desiredReplicas: 0, currentMetrics: null },
  };
  const v1 = toV1(stored);
  assert.equal('targetCPUUtilizationPercentage' in v1.spec, false);
  assert.deepEqual(fromV1(v1), stored);
});

test('a plain autoscaling/v1 HPA becomes the v2 object upstream stores', () => {
  const cases: { name: string; v1: KObject; spec: KObject['spec'] }[] = [
    {
      name: 'kubectl autoscale',
      v1: { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, maxReplicas: 10, targetCPUUtilizationPercentage: 50 } },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    },
    {
      name: 'no target: the old controller default of 80%',
      v1: { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', annotations: { [behaviorSpecsAnnotation]: 'not json' } }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 3 } },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    },
  ];
  for (const c of cases) {
    const v2 = fromV1(c.v1);
    assert.deepEqual(v2.spec, c.spec, c.name);
    assert.deepEqual(v2.status, { desiredReplicas: 0, currentMetrics: null }, c.name);
    assert.equal(v2.metadata.annotations, undefined, c.name);
  }
});
