import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, FakeCluster, refs, silentLog } from '../testing/fake-cluster.ts';
import { ServiceAccountController } from './serviceaccount-controller.ts';

function setup() {
  const fake = new FakeCluster();
  const ctl = new ServiceAccountController({
    client: fake,
    namespaces: fake.informer(refs.namespaces),
    serviceAccounts: fake.informer(refs.serviceaccounts),
    log: silentLog,
  });
  return { fake, ctl };
}

test('an Active namespace gets a default ServiceAccount', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, { metadata: { name: 'shop' }, status: { phase: 'Active' } });
  await ctl.reconcile('shop');
  assert.deepEqual(fake.writes(), ['create serviceaccounts shop/default']);
  const sa = fake.find(refs.serviceaccounts, 'shop', 'default');
  assert.equal(sa?.kind, 'ServiceAccount');
  // Present already: nothing to do.
  await ctl.reconcile('shop');
  assert.equal(fake.writes().length, 1);
});

test('terminating and missing namespaces get nothing', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, { metadata: { name: 'old', deletionTimestamp: '2025-01-01T00:00:00Z' }, status: { phase: 'Terminating' } });
  await ctl.reconcile('old');
  await ctl.reconcile('nowhere');
  assert.deepEqual(fake.writes(), []);
});

test('a create that races with another (AlreadyExists) is not an error', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, { metadata: { name: 'shop' }, status: { phase: 'Active' } });
  const view = fake.informer(refs.serviceaccounts);
  // The cache has not seen the account yet, the server has it.
  const stale = new ServiceAccountController({ client: fake, namespaces: fake.informer(refs.namespaces), serviceAccounts: { ...view, get: () => undefined }, log: silentLog });
  await ctl.reconcile('shop');
  await stale.reconcile('shop');
  assert.deepEqual(fake.writes(), ['create serviceaccounts shop/default', 'create serviceaccounts shop/default']);
});

test('a deleted default ServiceAccount is re-created', async () => {
  const { fake, ctl } = setup();
  ctl.controller.run();
  try {
    fake.seed(refs.namespaces, { metadata: { name: 'shop' }, status: { phase: 'Active' } });
    await eventually(() => !!fake.find(refs.serviceaccounts, 'shop', 'default'));
    const first = fake.find(refs.serviceaccounts, 'shop', 'default')!.metadata.uid;
    await fake.delete(refs.serviceaccounts, 'shop', 'default');
    await eventually(() => !!fake.find(refs.serviceaccounts, 'shop', 'default'));
    assert.notEqual(fake.find(refs.serviceaccounts, 'shop', 'default')!.metadata.uid, first);
  } finally {
    await ctl.controller.stop();
  }
});
