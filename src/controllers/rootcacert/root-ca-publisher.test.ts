import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, FakeCluster, refs, silentLog } from '../testing/fake-cluster.ts';
import { description, RootCAPublisher } from './root-ca-publisher.ts';

const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function setup() {
  const fake = new FakeCluster();
  const ctl = new RootCAPublisher({
    client: fake,
    namespaces: fake.informer(refs.namespaces),
    configMaps: fake.informer(refs.configmaps),
    rootCA: ca,
    log: silentLog,
  });
  return { fake, ctl };
}

test('every namespace gets kube-root-ca.crt with the CA and the upstream description', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, { metadata: { name: 'shop' }, status: { phase: 'Active' } });
  await ctl.reconcile('shop');
  const cm = fake.find(refs.configmaps, 'shop', 'kube-root-ca.crt');
  assert.deepEqual(cm?.data, { 'ca.crt': ca });
  assert.equal(cm?.metadata.annotations?.['kubernetes.io/description'], description);
  assert.match(description, /^Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints/);
  await ctl.reconcile('shop');
  assert.deepEqual(fake.writes(), ['create configmaps shop/kube-root-ca.crt']);
});

test('a ConfigMap with wrong data or no description is corrected, keeping other annotations', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, { metadata: { name: 'shop' }, status: { phase: 'Active' } });
  fake.seed(refs.configmaps, { metadata: { name: 'kube-root-ca.crt', namespace: 'shop', annotations: { team: 'x' } }, data: { 'ca.crt': 'stale', extra: '1' } });
  await ctl.reconcile('shop');
  const cm = fake.find(refs.configmaps, 'shop', 'kube-root-ca.crt')!;
  assert.deepEqual(cm.data, { 'ca.crt': ca });
  assert.deepEqual(cm.metadata.annotations, { team: 'x', 'kubernetes.io/description': description });
  assert.deepEqual(fake.writes(), ['update configmaps shop/kube-root-ca.crt']);
});

test('a terminating namespace is left alone', async () => {
  const { fake, ctl } = setup();
  fake.seed(refs.namespaces, { metadata: { name: 'old', deletionTimestamp: '2025-01-01T00:00:00Z' }, status: { phase: 'Terminating' } });
  await ctl.reconcile('old');
  assert.deepEqual(fake.writes(), []);
});

test('a deleted or edited kube-root-ca.crt is put back', async () => {
  const { fake, ctl } = setup();
  ctl.controller.run();
  try {
    fake.seed(refs.namespaces, { metadata: { name: 'shop' }, status: { phase: 'Active' } });
    await eventually(() => !!fake.find(refs.configmaps, 'shop', 'kube-root-ca.crt'));
    await fake.delete(refs.configmaps, 'shop', 'kube-root-ca.crt');
    await eventually(() => !!fake.find(refs.configmaps, 'shop', 'kube-root-ca.crt'));
    await fake.patch(refs.configmaps, 'shop', 'kube-root-ca.crt', { data: { 'ca.crt': 'tampered' } });
    await eventually(() => fake.find(refs.configmaps, 'shop', 'kube-root-ca.crt')?.data['ca.crt'] === ca);
  } finally {
    await ctl.controller.stop();
  }
});
