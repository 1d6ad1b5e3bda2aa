import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerResources, milliCPUToQuota, milliCPUToShares, oomScoreAdj, podQOS } from './resources.ts';
import type { Container, Pod } from '../pod-worker-types.ts';

const pod = (...containers: Container[]): Pod => ({ metadata: { name: 'p', namespace: 'n', uid: 'u' }, spec: { containers } });
const gi = 1024 ** 3;

test('QoS classes', () => {
  assert.equal(podQOS(pod({ name: 'a' }).spec), 'BestEffort');
  assert.equal(podQOS(pod({ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }).spec), 'Guaranteed');
  // The API server defaults requests to limits; without that, limits alone are Burstable, as upstream computes.
  assert.equal(podQOS(pod({ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }).spec), 'Burstable');
  assert.equal(podQOS(pod({ name: 'a', resources: { requests: { cpu: '100m' } } }).spec), 'Burstable');
  assert.equal(podQOS(pod({ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } }, { name: 'b' }).spec), 'Burstable');
  assert.equal(podQOS(pod({ name: 'a', resources: { requests: { cpu: '0' } } }).spec), 'BestEffort');
});

test('cpu shares and quota as cm.MilliCPUToShares / MilliCPUToQuota', () => {
  const cases: [number, number][] = [[0, 2], [1, 2], [100, 102], [250, 256], [1000, 1024], [500000, 262144]];
  for (const [m, s] of cases) assert.equal(milliCPUToShares(m), s, String(m));
  assert.equal(milliCPUToQuota(0), undefined);
  assert.equal(milliCPUToQuota(5), 1000);
  assert.equal(milliCPUToQuota(500), 50000);
  assert.equal(milliCPUToQuota(2000), 200000);
});

test('OOM score adjustment per QoS class', () => {
  const be = pod({ name: 'a' });
  assert.equal(oomScoreAdj(be, be.spec.containers[0], 8 * gi), 1000);
  const g = pod({ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } });
  assert.equal(oomScoreAdj(g, g.spec.containers[0], 8 * gi), -997);
  const b = pod({ name: 'a', resources: { requests: { memory: '1Gi' } } });
  assert.equal(oomScoreAdj(b, b.spec.containers[0], 8 * gi), 875);
  const tiny = pod({ name: 'a', resources: { requests: { cpu: '1m' } } });
  assert.equal(oomScoreAdj(tiny, tiny.spec.containers[0], 8 * gi), 999);
  const huge = pod({ name: 'a', resources: { requests: { memory: '8Gi' } } });
  assert.equal(oomScoreAdj(huge, huge.spec.containers[0], 8 * gi), 3);
});

test('a limit without a request sets the shares', () => {
  const p = pod({ name: 'a', resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { memory: '64Mi' } } });
  const r = containerResources(p, p.spec.containers[0], 8 * gi);
  assert.deepEqual(r, { cpuShares: 512, cpuQuotaUs: 50000, cpuPeriodUs: 100000, memoryLimitBytes: 128 * 1024 * 1024, oomScoreAdj: 993 });
});
