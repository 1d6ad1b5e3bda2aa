import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject, OwnerReference } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import { eventually, FakeCluster, refs, silentLog } from '../testing/fake-cluster.ts';
import { GarbageCollector } from './garbage-collector.ts';

async function withGC(fn: (fake: FakeCluster, gc: GarbageCollector) => Promise<void>): Promise<void> {
  const fake = new FakeCluster();
  const gc = new GarbageCollector({ client: fake, log: silentLog, informerFor: (r) => fake.informer(r), resyncMs: 0, unwatchedOwnerPollMs: 50 });
  gc.watchResources(Object.values(refs));
  gc.run();
  try {
    await fn(fake, gc);
  } finally {
    await gc.stop();
  }
}

const ownerRef = (o: KObject, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: o.apiVersion!,
  kind: o.kind!,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  ...extra,
});

const blocking = (o: KObject) => ownerRef(o, { controller: true, blockOwnerDeletion: true });

function make(fake: FakeCluster, ref: ResourceRef, name: string, namespace: string | undefined, meta: Record<string, unknown> = {}): KObject {
  return fake.seed(ref, { metadata: { name, ...(namespace ? { namespace } : {}), ...meta }, spec: {} });
}

const exists = (fake: FakeCluster, ref: ResourceRef, o: KObject) => !!fake.find(ref, o.metadata.namespace, o.metadata.name!);
const deleteOptions = (fake: FakeCluster, resource: string, name: string) =>
  fake.actions.find((a) => a.verb === 'delete' && a.resource === resource && a.name === name)?.body as
    | { propagationPolicy?: string; preconditions?: { uid?: string } }
    | undefined;
const settle = () => new Promise((r) => setTimeout(r, 60));

test('background: dependents of a deleted owner are deleted, with the uid as precondition', async () => {
  await withGC(async (fake) => {
    const rs = make(fake, refs.replicasets, 'web-1', 'shop');
    const pod = make(fake, refs.pods, 'web-1-a', 'shop', { ownerReferences: [blocking(rs)] });
    const other = make(fake, refs.pods, 'lonely', 'shop');
    await settle();
    assert.ok(exists(fake, refs.pods, pod), 'a dependent with a live owner stays');

    await fake.delete(refs.replicasets, 'shop', 'web-1', { propagationPolicy: 'Background' });
    await eventually(() => !exists(fake, refs.pods, pod));
    const opts = deleteOptions(fake, 'pods', 'web-1-a');
    assert.equal(opts?.propagationPolicy, 'Background');
    assert.equal(opts?.preconditions?.uid, pod.metadata.uid);
    assert.ok(exists(fake, refs.pods, other), 'objects without owners are never collected');
  });
});

test('a dependent whose owner is already gone (or replaced under the same name) is collected', async () => {
  await withGC(async (fake) => {
    const ghost = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: 'never-existed' };
    const orphan = make(fake, refs.pods, 'orphan', 'shop', { ownerReferences: [ghost] });
    make(fake, refs.replicasets, 'reborn', 'shop');
    const stale = make(fake, refs.pods, 'stale', 'shop', { ownerReferences: [{ ...ghost, name: 'reborn', uid: 'old-uid' }] });
    await eventually(() => !exists(fake, refs.pods, orphan) && !exists(fake, refs.pods, stale));
    // The owner's absence was verified against the API server first.
    assert.ok(fake.actions.some((a) => a.verb === 'get' && a.resource === 'replicasets' && a.name === 'ghost'));
  });
});

test('an ownerReference names an owner in the dependent\'s own namespace', async () => {
  await withGC(async (fake) => {
    const rs = make(fake, refs.replicasets, 'web-1', 'a');
    const elsewhere = make(fake, refs.pods, 'p', 'b', { ownerReferences: [ownerRef(rs)] });
    const node = make(fake, refs.nodes, 'n1', undefined);
    const onNode = make(fake, refs.pods, 'q', 'b', { ownerReferences: [ownerRef(node)] });
    // A cluster-scoped object cannot be owned by a namespaced one: ignored, not deleted.
    const invalid = make(fake, refs.nodes, 'n2', undefined, { ownerReferences: [ownerRef(rs)] });
    await eventually(() => !exists(fake, refs.pods, elsewhere));
    await settle();
    assert.ok(exists(fake, refs.replicasets, rs));
    assert.ok(exists(fake, refs.pods, onNode), 'a cluster-scoped owner is found without a namespace');
    assert.ok(exists(fake, refs.nodes, invalid));
  });
});

test('a dependent with one live owner loses only its dangling references', async () => {
  await withGC(async (fake) => {
    const a = make(fake, refs.replicasets, 'a', 'shop');
    const b = make(fake, refs.replicasets, 'b', 'shop');
    const pod = make(fake, refs.pods, 'p', 'shop', { ownerReferences: [ownerRef(a), ownerRef(b)] });
    await fake.delete(refs.replicasets, 'shop', 'b');
    await eventually(() => fake.find(refs.pods, 'shop', 'p')?.metadata.ownerReferences?.length === 1);
    assert.deepEqual(fake.find(refs.pods, 'shop', 'p')?.metadata.ownerReferences, [ownerRef(a)]);
    assert.ok(exists(fake, refs.pods, pod));
  });
});

test('foreground: the owner waits for blocking dependents, which are deleted depth-first', async () => {
  await withGC(async (fake) => {
    const deploy = make(fake, refs.deployments, 'web', 'shop');
    const rs = make(fake, refs.replicasets, 'web-1', 'shop', { ownerReferences: [blocking(deploy)] });
    // The pod lingers (a finalizer standing in for a kubelet's graceful termination).
    const pod = make(fake, refs.pods, 'web-1-a', 'shop', { ownerReferences: [blocking(rs)], finalizers: ['example.com/hold'] });
    await settle();

    await fake.delete(refs.deployments, 'shop', 'web', { propagationPolicy: 'Foreground' });
    await eventually(() => !!fake.find(refs.pods, 'shop', 'web-1-a')?.metadata.deletionTimestamp);
    await settle();
    assert.equal(deleteOptions(fake, 'replicasets', 'web-1')?.propagationPolicy, 'Foreground', 'a dependent with dependents of its own is deleted in Foreground too');
    assert.equal(deleteOptions(fake, 'pods', 'web-1-a')?.propagationPolicy, 'Background');
    assert.deepEqual(fake.find(refs.deployments, 'shop', 'web')?.metadata.finalizers, ['foregroundDeletion'], 'owner still waits');
    assert.deepEqual(fake.find(refs.replicasets, 'shop', 'web-1')?.metadata.finalizers, ['foregroundDeletion']);

    await fake.patch(refs.pods, 'shop', 'web-1-a', { metadata: { finalizers: null } });
    await eventually(() => !exists(fake, refs.replicasets, rs) && !exists(fake, refs.deployments, deploy));
    assert.ok(!exists(fake, refs.pods, pod));
    const finalizerRemovals = fake.actions.filter((a) => a.verb === 'patch' && (a.body as KObject).metadata?.finalizers === null).map((a) => a.name);
    assert.deepEqual(finalizerRemovals.slice(-2), ['web-1', 'web'], 'the ReplicaSet goes before the Deployment');
  });
});

test('foreground: dependents without blockOwnerDeletion are deleted but not waited for', async () => {
  await withGC(async (fake) => {
    const rs = make(fake, refs.replicasets, 'web-1', 'shop');
    const pod = make(fake, refs.pods, 'p', 'shop', { ownerReferences: [ownerRef(rs)], finalizers: ['example.com/hold'] });
    await fake.delete(refs.replicasets, 'shop', 'web-1', { propagationPolicy: 'Foreground' });
    await eventually(() => !exists(fake, refs.replicasets, rs));
    await eventually(() => !!fake.find(refs.pods, 'shop', 'p')?.metadata.deletionTimestamp);
    assert.ok(exists(fake, refs.pods, pod));
  });
});

test('foreground on an object without dependents just completes', async () => {
  await withGC(async (fake) => {
    const cm = make(fake, refs.configmaps, 'c', 'shop');
    await fake.delete(refs.configmaps, 'shop', 'c', { propagationPolicy: 'Foreground' });
    assert.ok(exists(fake, refs.configmaps, cm));
    await eventually(() => !exists(fake, refs.configmaps, cm));
  });
});

test('orphan: dependents lose the reference to the owner (and keep others), then the owner goes', async () => {
  await withGC(async (fake) => {
    const rs = make(fake, refs.replicasets, 'web-1', 'shop');
    const keeper = make(fake, refs.deployments, 'keeper', 'shop');
    const p1 = make(fake, refs.pods, 'p1', 'shop', { ownerReferences: [blocking(rs)] });
    const p2 = make(fake, refs.pods, 'p2', 'shop', { ownerReferences: [ownerRef(keeper), blocking(rs)] });
    await settle();
    await fake.delete(refs.replicasets, 'shop', 'web-1', { propagationPolicy: 'Orphan' });
    await eventually(() => !exists(fake, refs.replicasets, rs));
    await settle();
    assert.equal(fake.find(refs.pods, 'shop', 'p1')?.metadata.ownerReferences, undefined);
    assert.deepEqual(fake.find(refs.pods, 'shop', 'p2')?.metadata.ownerReferences, [ownerRef(keeper)]);
    assert.ok(exists(fake, refs.pods, p1) && exists(fake, refs.pods, p2), 'orphaned pods survive their owner');
    assert.ok(!fake.actions.some((a) => a.verb === 'delete' && a.resource === 'pods'));
  });
});

test('an owner of a kind that cannot be mapped is retried, not treated as gone', async () => {
  await withGC(async (fake) => {
    const pod = make(fake, refs.pods, 'p', 'shop', { ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'w1' }] });
    await settle();
    assert.ok(exists(fake, refs.pods, pod));
  });
});

test('the graph tracks dependents of owners not seen yet and forgets deleted objects', async () => {
  await withGC(async (fake, gc) => {
    const rs = make(fake, refs.replicasets, 'web-1', 'shop');
    make(fake, refs.pods, 'p', 'shop', { ownerReferences: [blocking(rs)] });
    assert.deepEqual(gc.graph.blockingDependents(rs.metadata.uid!).map((n) => n.name), ['p']);
    await fake.delete(refs.replicasets, 'shop', 'web-1');
    assert.equal(gc.graph.get(rs.metadata.uid!), undefined);
    await eventually(() => gc.graph.dependents(rs.metadata.uid!).length === 0);
  });
});
