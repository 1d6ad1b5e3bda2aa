import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { ApiError } from '../../client/client.ts';
import { FakeCluster, refs, silentLog } from '../testing/fake-cluster.ts';
import { FakeEvents } from '../testing/fake-events.ts';
import { ReplicaSetController } from './replicaset-controller.ts';

const t0 = Date.parse('2025-01-01T00:10:00Z');

function setup(now = t0) {
  const fake = new FakeCluster();
  const events = new FakeEvents();
  const clock = { now };
  const ctl = new ReplicaSetController({
    client: fake,
    replicaSets: fake.informer(refs.replicasets),
    pods: fake.informer(refs.pods),
    events,
    log: silentLog,
    now: () => new Date(clock.now),
  });
  return { fake, events, ctl, clock };
}

const rs = (replicas: number, extra: Record<string, unknown> = {}): KObject => ({
  metadata: { name: 'web-5d8f9c7b6d', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    ...extra,
  },
});

const pods = (fake: FakeCluster) => fake.objects(refs.pods, 'shop');
const ready = (since = '2025-01-01T00:00:00Z') => ({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] });

test('too few replicas: creates pods in slow-start batches with generateName, labels and a controller reference', async () => {
  const { fake, events, ctl } = setup();
  const owner = fake.seed(refs.replicasets, rs(3));
  await ctl.sync('shop/web-5d8f9c7b6d');
  const created = fake.actions.filter((a) => a.verb === 'create');
  assert.equal(created.length, 3);
  for (const p of pods(fake)) {
    assert.match(p.metadata.name!, /^web-5d8f9c7b6d-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(p.metadata.generateName, 'web-5d8f9c7b6d-');
    assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'front' });
    assert.deepEqual(p.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f9c7b6d', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(p.spec, { containers: [{ name: 'web', image: 'nginx' }] });
  }
  assert.deepEqual(
    events.take(),
    pods(fake).map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`),
  );
  // As upstream, the status counts the pods the sync started from; the next sync counts the new ones.
  assert.deepEqual(fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!.status, { replicas: 0, observedGeneration: 1 });
  await ctl.sync('shop/web-5d8f9c7b6d');
  assert.deepEqual(fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!.status, { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
  assert.equal(fake.actions.filter((a) => a.verb === 'create').length, 3);
});

test('slow start: a failing first create stops the batch and sets ReplicaFailure with the error', async () => {
  const { fake, events, ctl } = setup();
  fake.seed(refs.replicasets, rs(8));
  const quota = new ApiError(403, {
    kind: 'Status',
    reason: 'Forbidden',
    code: 403,
    message: 'pods "web-5d8f9c7b6d-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=0, limited: pods=0',
  });
  fake.failWith = (a) => (a.verb === 'create' && a.resource === 'pods' ? quota : undefined);
  await assert.rejects(ctl.sync('shop/web-5d8f9c7b6d'), /exceeded quota/);
  assert.equal(fake.actions.filter((a) => a.verb === 'create').length, 1);
  assert.deepEqual(events.take(), [`Warning FailedCreate Error creating: ${quota.message}`]);
  const cond = fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!.status.conditions;
  assert.equal(cond.length, 1);
  assert.deepEqual({ ...cond[0], lastTransitionTime: undefined }, { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: quota.message, lastTransitionTime: undefined });
  // The skipped creations are not expected, so the next sync tries again; success clears the condition.
  fake.failWith = undefined;
  await ctl.sync('shop/web-5d8f9c7b6d');
  assert.equal(pods(fake).length, 8);
  // Batches after the first failure-free sync: 1, 2, 4, then the remaining 1.
  assert.equal(fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!.status.conditions, undefined);
});

test('slow start batches grow 1, 2, 4, 8 and stop at the first failing batch', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.replicasets, rs(20));
  let n = 0;
  fake.failWith = (a) => (a.verb === 'create' && ++n === 5 ? new ApiError(500, { message: 'boom' }) : undefined);
  await assert.rejects(ctl.sync('shop/web-5d8f9c7b6d'), /boom/);
  // Batch 1 (1 pod) and 2 (2 pods) succeed; batch 3 has 4 calls, one fails; nothing more is tried.
  assert.equal(n, 7);
  assert.equal(pods(fake).length, 6);
});

test('expectations hold back a second sync until the creations are observed', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.replicasets, rs(2));
  // A cache that does not see the new pods yet.
  const blind = new ReplicaSetController({
    client: fake,
    replicaSets: fake.informer(refs.replicasets),
    pods: { ...fake.informer(refs.pods), on: () => {}, list: () => [] },
    events: new FakeEvents(),
    log: silentLog,
  });
  await blind.sync('shop/web-5d8f9c7b6d');
  await blind.sync('shop/web-5d8f9c7b6d');
  assert.equal(pods(fake).length, 2);
  assert.deepEqual(blind.expectations.pending('shop/web-5d8f9c7b6d'), { add: 2, del: 0 });
  await ctl.sync('shop/web-5d8f9c7b6d');
  assert.equal(pods(fake).length, 2);
});

test('too many replicas: deletes unscheduled, pending, not-ready pods first; SuccessfulDelete events', async () => {
  const { fake, events, ctl } = setup();
  const owner = fake.seed(refs.replicasets, rs(2));
  const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f9c7b6d', uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
  const pod = (name: string, spec: Record<string, unknown>, status: Record<string, unknown>, created = '2025-01-01T00:00:00Z') =>
    fake.seed(refs.pods, { metadata: { name, namespace: 'shop', labels: { app: 'web', tier: 'front' }, ownerReferences: [ref], creationTimestamp: created }, spec, status });
  pod('ready-old', { nodeName: 'n1' }, ready('2025-01-01T00:00:10Z'));
  pod('ready-new', { nodeName: 'n1' }, ready('2025-01-01T00:09:00Z'), '2025-01-01T00:08:00Z');
  pod('running', { nodeName: 'n1' }, { phase: 'Running' });
  pod('pending', { nodeName: 'n1' }, { phase: 'Pending' });
  pod('unscheduled', {}, { phase: 'Pending' });
  await ctl.sync('shop/web-5d8f9c7b6d');
  assert.deepEqual(fake.writes().filter((w) => w.startsWith('delete')), ['delete pods shop/unscheduled', 'delete pods shop/pending', 'delete pods shop/running']);
  assert.deepEqual(events.take(), ['Normal SuccessfulDelete Deleted pod: unscheduled', 'Normal SuccessfulDelete Deleted pod: pending', 'Normal SuccessfulDelete Deleted pod: running']);
  // Of two ready pods, the one ready for less time goes first (log-scale buckets of age).
  fake.seed(refs.replicasets, { ...fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!, spec: { ...rs(1).spec } });
  await ctl.sync('shop/web-5d8f9c7b6d');
  assert.equal(fake.writes().filter((w) => w.startsWith('delete')).at(-1), 'delete pods shop/ready-new');
});

test('pod-deletion-cost: the cheaper pod goes first', async () => {
  const { fake, ctl } = setup();
  const owner = fake.seed(refs.replicasets, rs(1));
  const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f9c7b6d', uid: owner.metadata.uid!, controller: true };
  for (const [name, cost] of [['a', '10'], ['b', '-5'], ['c', 'oops']] as const) {
    fake.seed(refs.pods, { metadata: { name, namespace: 'shop', labels: { app: 'web' }, ownerReferences: [ref], annotations: { 'controller.kubernetes.io/pod-deletion-cost': cost } }, spec: { nodeName: 'n1' }, status: ready() });
  }
  await ctl.sync('shop/web-5d8f9c7b6d');
  assert.deepEqual(fake.writes().filter((w) => w.startsWith('delete')), ['delete pods shop/b', 'delete pods shop/c']);
});

test('adopts matching orphans and releases owned pods that no longer match', async () => {
  const { fake, ctl } = setup();
  const owner = fake.seed(refs.replicasets, rs(2));
  fake.seed(refs.pods, { metadata: { name: 'orphan', namespace: 'shop', labels: { app: 'web' } }, spec: {}, status: { phase: 'Running' } });
  fake.seed(refs.pods, { metadata: { name: 'other-ns', namespace: 'elsewhere', labels: { app: 'web' } }, spec: {} });
  fake.seed(refs.pods, { metadata: { name: 'done', namespace: 'shop', labels: { app: 'web' } }, spec: {}, status: { phase: 'Succeeded' } });
  fake.seed(refs.pods, {
    metadata: { name: 'strayed', namespace: 'shop', labels: { app: 'db' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f9c7b6d', uid: owner.metadata.uid!, controller: true }] },
    spec: {},
  });
  await ctl.sync('shop/web-5d8f9c7b6d');
  const writes = fake.writes();
  assert.ok(writes.includes('patch pods shop/orphan'));
  assert.ok(writes.includes('patch pods shop/strayed'));
  assert.equal(fake.find(refs.pods, 'shop', 'orphan')!.metadata.ownerReferences![0]!.uid, owner.metadata.uid);
  assert.equal(fake.find(refs.pods, 'shop', 'strayed')!.metadata.ownerReferences, undefined);
  // One adopted + one created; the released, finished and foreign pods do not count.
  assert.equal(writes.filter((w) => w.startsWith('create pods')).length, 1);
  const adopt = fake.actions.find((a) => a.verb === 'patch' && a.name === 'orphan')!;
  assert.deepEqual(adopt.body, {
    metadata: {
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f9c7b6d', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
      uid: fake.find(refs.pods, 'shop', 'orphan')!.metadata.uid,
    },
  });
});

test('a ReplicaSet being deleted neither adopts nor creates', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.replicasets, { ...rs(2), metadata: { ...rs(2).metadata, deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] } });
  fake.seed(refs.pods, { metadata: { name: 'orphan', namespace: 'shop', labels: { app: 'web' } }, spec: {} });
  await ctl.sync('shop/web-5d8f9c7b6d');
  assert.deepEqual(fake.writes(), ['update replicasets/status shop/web-5d8f9c7b6d']);
});

test('status: ready and available pods with minReadySeconds, and a requeue for when they become available', async () => {
  const { fake, ctl, clock } = setup(Date.parse('2025-01-01T00:00:20Z'));
  const owner = fake.seed(refs.replicasets, rs(2, { minReadySeconds: 30 }));
  const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f9c7b6d', uid: owner.metadata.uid!, controller: true };
  fake.seed(refs.pods, { metadata: { name: 'a', namespace: 'shop', labels: { app: 'web', tier: 'front' }, ownerReferences: [ref] }, spec: {}, status: ready('2025-01-01T00:00:00Z') });
  fake.seed(refs.pods, { metadata: { name: 'b', namespace: 'shop', labels: { app: 'web' }, ownerReferences: [ref] }, spec: {}, status: ready('2025-01-01T00:00:10Z') });
  const r = await ctl.sync('shop/web-5d8f9c7b6d');
  assert.deepEqual(r, { requeueAfter: 30_000 });
  assert.deepEqual(fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!.status, { replicas: 2, fullyLabeledReplicas: 1, readyReplicas: 2, observedGeneration: 1 });
  clock.now = Date.parse('2025-01-01T00:00:35Z');
  await ctl.sync('shop/web-5d8f9c7b6d');
  assert.equal(fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!.status.availableReplicas, 1);
  clock.now = Date.parse('2025-01-01T00:01:00Z');
  assert.equal(await ctl.sync('shop/web-5d8f9c7b6d'), undefined);
  assert.equal(fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!.status.availableReplicas, 2);
  // Nothing changed: no write.
  const before = fake.writes().length;
  await ctl.sync('shop/web-5d8f9c7b6d');
  assert.equal(fake.writes().length, before);
});

test('running: a deleted pod is replaced, a scale-down removes pods', async () => {
  const { fake, ctl } = setup();
  ctl.controller.run();
  try {
    fake.seed(refs.replicasets, rs(2));
    const { eventually } = await import('../testing/fake-cluster.ts');
    await eventually(() => pods(fake).length === 2);
    await fake.delete(refs.pods, 'shop', pods(fake)[0]!.metadata.name!);
    await eventually(() => pods(fake).length === 2 && fake.writes().filter((w) => w.startsWith('create pods')).length === 3);
    const cur = fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!;
    fake.seed(refs.replicasets, { ...cur, spec: { ...cur.spec, replicas: 0 } });
    await eventually(() => pods(fake).length === 0);
    await eventually(() => fake.find(refs.replicasets, 'shop', 'web-5d8f9c7b6d')!.status.replicas === 0);
  } finally {
    await ctl.controller.stop();
  }
});
