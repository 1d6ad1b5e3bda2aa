import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../client/client.ts';
import { FakeCluster, refs, silentLog } from '../testing/fake-cluster.ts';
import { NamespaceController } from './namespace-controller.ts';

const deletedAt = '2025-01-01T00:01:00Z';

function terminating(name: string, finalizers = ['kubernetes']) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, deletionTimestamp: deletedAt },
    spec: { finalizers },
    status: { phase: 'Terminating' },
  };
}

function setup() {
  const fake = new FakeCluster();
  const ctl = new NamespaceController({ client: fake, namespaces: fake.informer(refs.namespaces), log: silentLog, now: () => Date.parse(deletedAt) + 60_000 });
  return { fake, ctl };
}

const cm = (namespace: string, name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name, namespace, ...extra }, data: { a: 'b' } });

test('a terminating namespace is emptied, then finalized, leaving other namespaces alone', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, terminating('shop'));
  fake.seed(refs.namespaces, { metadata: { name: 'keep' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  fake.seed(refs.configmaps, cm('shop', 'settings'));
  fake.seed(refs.configmaps, cm('keep', 'settings'));
  fake.seed(refs.services, { metadata: { name: 'web', namespace: 'shop' }, spec: {} });
  fake.seed(refs.replicasets, { metadata: { name: 'web-1', namespace: 'shop' }, spec: {} });

  assert.equal(await ctl.reconcile('shop'), undefined);

  const writes = fake.writes();
  assert.ok(writes.includes('deletecollection configmaps shop/'));
  assert.ok(writes.includes('deletecollection replicasets shop/'));
  // Services have no deletecollection verb: listed and deleted one by one.
  assert.ok(writes.includes('delete services shop/web'));
  assert.ok(!writes.some((w) => w.startsWith('deletecollection services')));
  assert.ok(!writes.some((w) => w.includes('namespaces shop') && w.startsWith('delete')), 'the namespace itself is not deleted by the controller');
  const finalize = writes.indexOf('update namespaces/finalize shop');
  assert.ok(finalize > 0, 'finalize was called');
  assert.equal(finalize, writes.length - 1, 'finalize comes last, after every content deletion');
  const deletion = fake.actions.find((a) => a.verb === 'deletecollection');
  assert.equal((deletion?.body as { propagationPolicy?: string }).propagationPolicy, 'Background');

  assert.equal(fake.find(refs.namespaces, undefined, 'shop'), undefined, 'namespace removed once its finalizers are gone');
  assert.equal(fake.objects(refs.configmaps, 'shop').length, 0);
  assert.equal(fake.objects(refs.configmaps, 'keep').length, 1);
  assert.ok(fake.find(refs.namespaces, undefined, 'keep'));
});

test('content held by a finalizer keeps the namespace, with upstream conditions, until it is gone', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, terminating('shop'));
  fake.seed(refs.configmaps, cm('shop', 'held', { finalizers: ['example.com/hold'] }));

  const r = await ctl.reconcile('shop');
  assert.equal(r?.requeueAfter, 1000);
  assert.ok(!fake.writes().includes('update namespaces/finalize shop'));
  const ns = fake.find(refs.namespaces, undefined, 'shop')!;
  const cond = (type: string) => ns.status.conditions.find((c: { type: string }) => c.type === type);
  assert.deepEqual(
    { status: cond('NamespaceContentRemaining').status, reason: cond('NamespaceContentRemaining').reason, message: cond('NamespaceContentRemaining').message },
    { status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances' },
  );
  assert.equal(cond('NamespaceFinalizersRemaining').message, 'Some finalizers are remaining: example.com/hold in 1 resource instances');
  assert.equal(cond('NamespaceDeletionContentFailure').status, 'False');
  assert.equal(cond('NamespaceDeletionContentFailure').reason, 'ContentDeleted');
  assert.equal(cond('NamespaceDeletionDiscoveryFailure').reason, 'ResourcesDiscovered');

  // The finalizer's owner lets go; the next pass finalizes.
  await fake.patch(refs.configmaps, 'shop', 'held', { metadata: { finalizers: null } });
  assert.equal(await ctl.reconcile('shop'), undefined);
  assert.equal(fake.find(refs.namespaces, undefined, 'shop'), undefined);
});

test('only the kubernetes finalizer is removed; other spec.finalizers keep the namespace', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, terminating('shop', ['example.com/other', 'kubernetes']));
  await ctl.reconcile('shop');
  const ns = fake.find(refs.namespaces, undefined, 'shop');
  assert.deepEqual(ns?.spec.finalizers, ['example.com/other']);
  // Already finalized by us: a further pass does nothing.
  const before = fake.writes().length;
  await ctl.reconcile('shop');
  assert.equal(fake.writes().length, before);
});

test('an active namespace is left alone; a terminating one without the phase gets it', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, { metadata: { name: 'live' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  fake.seed(refs.configmaps, cm('live', 'settings'));
  await ctl.reconcile('live');
  assert.deepEqual(fake.writes(), []);
  await ctl.reconcile('missing');
  assert.deepEqual(fake.writes(), []);

  fake.seed(refs.namespaces, { ...terminating('odd'), status: { phase: 'Active' } });
  fake.failWith = (a) => (a.verb === 'update' && a.subresource === 'finalize' ? new ApiError(500, { message: 'stop here' }) : undefined);
  await assert.rejects(ctl.reconcile('odd'), /stop here/);
  assert.equal(fake.writes()[0], 'update namespaces/status odd');
  assert.equal(fake.find(refs.namespaces, undefined, 'odd')?.status.phase, 'Terminating');
});

test('a failing deletion is reported in NamespaceDeletionContentFailure and retried', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, terminating('shop'));
  fake.seed(refs.secrets, { metadata: { name: 's', namespace: 'shop' } });
  fake.failWith = (a) =>
    a.verb === 'deletecollection' && a.resource === 'secrets' ? new ApiError(500, { reason: 'InternalError', message: 'Internal error occurred: disk full' }) : undefined;
  await assert.rejects(ctl.reconcile('shop'), /disk full/);
  const ns = fake.find(refs.namespaces, undefined, 'shop')!;
  const failure = ns.status.conditions.find((c: { type: string }) => c.type === 'NamespaceDeletionContentFailure');
  assert.equal(failure.status, 'True');
  assert.equal(failure.reason, 'ContentDeletionFailed');
  assert.equal(failure.message, 'Failed to delete all resource types, 1 remaining: Internal error occurred: disk full');
  assert.ok(!fake.writes().includes('update namespaces/finalize shop'));

  fake.failWith = undefined;
  await ctl.reconcile('shop');
  assert.equal(fake.find(refs.namespaces, undefined, 'shop'), undefined);
});

test('handlers enqueue only namespaces being deleted', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, { metadata: { name: 'live' }, status: { phase: 'Active' } });
  assert.equal(ctl.controller.queue.length, 0);
  fake.seed(refs.namespaces, terminating('gone'));
  assert.equal(ctl.controller.queue.length, 1);
  assert.equal(await ctl.controller.queue.get(), 'gone');
});

test('a conflicting write (another actor edited the namespace) is retried on the latest object', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, terminating('shop', ['kubernetes', 'example.com/other']));
  let conflicts = 0;
  fake.failWith = (a) => {
    if (a.verb !== 'update' || conflicts >= 2) return undefined;
    conflicts++;
    return new ApiError(409, { reason: 'Conflict', message: 'the object has been modified' });
  };
  await ctl.reconcile('shop');
  const ns = fake.find(refs.namespaces, undefined, 'shop')!;
  assert.equal(ns.status.conditions.length, 5);
  assert.deepEqual(ns.spec.finalizers, ['example.com/other']);
});
