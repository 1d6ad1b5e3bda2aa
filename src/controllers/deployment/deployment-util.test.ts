import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { lastRevision, maxSurge, maxUnavailable, newRSNewReplicas, proportion, resolveFenceposts, setNewReplicaSetAnnotations, valueFromIntOrPercent } from './deployment-util.ts';

const d = (replicas: number, surge: number | string, unavailable: number | string, extra: Record<string, unknown> = {}): KObject => ({
  metadata: { name: 'web', annotations: {} },
  spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } }, ...extra },
});
const rs = (replicas: number, annotations: Record<string, string> = {}): KObject => ({ metadata: { name: `rs${replicas}`, annotations }, spec: { replicas } });

test('fenceposts: surge rounds up, unavailable down, both zero means one unavailable', () => {
  const cases: [number | string, number | string, number, [number, number]][] = [
    ['25%', '25%', 3, [1, 0]],
    ['25%', '25%', 4, [1, 1]],
    ['25%', '25%', 10, [3, 2]],
    ['1%', 0, 2, [1, 0]],
    [0, '1%', 2, [0, 1]],
    [0, 0, 5, [0, 1]],
    ['0%', '0%', 1, [0, 1]],
    [2, '50%', 3, [2, 1]],
  ];
  for (const [s, u, n, want] of cases) assert.deepEqual(resolveFenceposts(s, u, n), want, `${s}/${u} of ${n}`);
  assert.equal(maxUnavailable(d(2, 0, 5)), 2);
  assert.equal(maxUnavailable(d(0, 1, 1)), 0);
  assert.equal(maxSurge({ metadata: {}, spec: { replicas: 3, strategy: { type: 'Recreate' } } }), 0);
  assert.throws(() => valueFromIntOrPercent('5', 10, true), /string is not a percentage/);
});

test('the new ReplicaSet grows by what maxSurge leaves, never past the desired replicas', () => {
  assert.equal(newRSNewReplicas(d(3, 1, 0), [rs(3), rs(0)], rs(0)), 1);
  assert.equal(newRSNewReplicas(d(3, 1, 0), [rs(3), rs(1)], rs(1)), 1);
  assert.equal(newRSNewReplicas(d(3, 1, 0), [rs(2), rs(1)], rs(1)), 2);
  assert.equal(newRSNewReplicas(d(10, 3, 2), [rs(8), rs(0)], rs(0)), 5);
  assert.equal(newRSNewReplicas({ metadata: {}, spec: { replicas: 4, strategy: { type: 'Recreate' } } }, [rs(0)], rs(0)), 4);
});

test('proportional scaling: each ReplicaSet by its share of the annotated maximum, rounded half away from zero', () => {
  const dep = d(20, 3, 2);
  assert.equal(proportion(rs(8, { 'deployment.kubernetes.io/max-replicas': '13' }), dep, 10, 0), 6);
  assert.equal(proportion(rs(5, { 'deployment.kubernetes.io/max-replicas': '13' }), dep, 10, 6), 4);
  // Scaling down to zero takes the whole size.
  assert.equal(proportion(rs(5), d(0, 3, 2), -5, 0), -5);
});

test('revisions: a rollback moves the old revision into revision-history', () => {
  const target = rs(0, { 'deployment.kubernetes.io/revision': '1' });
  assert.equal(setNewReplicaSetAnnotations(d(3, 1, 0), target, '3', true), true);
  assert.deepEqual(target.metadata.annotations, { 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
  setNewReplicaSetAnnotations(d(3, 1, 0), target, '5', true);
  assert.equal(target.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1,3');
  assert.equal(lastRevision([rs(1, { 'deployment.kubernetes.io/revision': '4' }), rs(2, { 'deployment.kubernetes.io/revision': '7' }), rs(3, { 'deployment.kubernetes.io/revision': '2' })]), 4);
});
