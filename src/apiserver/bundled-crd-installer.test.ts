import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bundleHashAnnotation, bundledCrd, bundledCrdNames, bundledCrdsOf } from '../api/crds/bundled-crds.ts';
import { StatusError } from '../machinery/status-error.ts';
import type { ApiServerContext } from './extension.ts';
import type { KObject } from './registry/kobject.ts';
import { installBundledCrds } from './bundled-crd-installer.ts';

/** Just enough of a CRD store: get, create and update, recording writes. */
function fakeContext(initial: KObject[] = [], served = true) {
  const objects = new Map(initial.map((o) => [o.metadata.name!, structuredClone(o)]));
  const writes: string[] = [];
  const logs: string[] = [];
  const store = {
    async get(_ns: string | undefined, name: string) {
      const o = objects.get(name);
      if (!o) throw StatusError.notFound({ group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, name);
      return structuredClone(o);
    },
    async create(_ns: string | undefined, o: KObject) {
      writes.push(`create ${o.metadata.name}`);
      objects.set(o.metadata.name!, structuredClone(o));
      return o;
    },
    async update(_ns: string | undefined, name: string, o: KObject) {
      writes.push(`update ${name}`);
      objects.set(name, structuredClone(o));
      return { object: o, created: false };
    },
  };
  const ctx = {
    registry: { store: (g: string, r: string) => (served && g === 'apiextensions.k8s.io' && r === 'customresourcedefinitions' ? store : undefined) },
    log: (msg: string) => logs.push(msg),
  } as unknown as ApiServerContext;
  return { ctx, objects, writes, logs };
}

test('the bundle holds the six CRDs with upstream versions and a content hash', () => {
  assert.equal(bundledCrdNames.length, 6);
  for (const name of bundledCrdNames) {
    const crd = bundledCrd(name);
    assert.equal(crd.metadata.name, name);
    assert.match(crd.metadata.annotations?.[bundleHashAnnotation] ?? '', /^[0-9a-f]{16}$/);
    assert.equal(crd.spec.versions.filter((v) => v.storage).length, 1, name);
  }
  const vs = bundledCrd('virtualservices.networking.istio.io');
  assert.deepEqual(vs.spec.versions.map((v) => [v.name, v.served, v.storage]), [['v1', true, true], ['v1alpha3', true, false], ['v1beta1', true, false]]);
  assert.deepEqual(vs.spec.names.shortNames, ['vs']);
  assert.deepEqual(vs.spec.versions[0].additionalPrinterColumns?.map((c) => c.name), ['Gateways', 'Hosts', 'Age']);
  const vpa = bundledCrd('verticalpodautoscalers.autoscaling.k8s.io');
  assert.deepEqual(vpa.spec.versions.map((v) => [v.name, v.served, v.storage]), [['v1', true, true], ['v1beta2', false, false]]);
});

test('creates what is missing, then does nothing on the next start', async () => {
  const f = fakeContext();
  const outcomes = await installBundledCrds(f.ctx, bundledCrdsOf('networking.istio.io'));
  assert.deepEqual([...outcomes!.values()], ['created', 'created', 'created', 'created']);
  const again = await installBundledCrds(f.ctx, bundledCrdsOf('networking.istio.io'));
  assert.deepEqual([...again!.values()], ['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  assert.equal(f.writes.length, 4);
});

test('replaces what an older bundle installed, keeping what someone else replaced', async () => {
  const old = bundledCrd('gateways.networking.istio.io');
  old.metadata.annotations![bundleHashAnnotation] = 'older';
  old.metadata.labels = { ...old.metadata.labels, team: 'mesh' };
  old.spec.versions = old.spec.versions.slice(0, 1);
  const foreign = bundledCrd('virtualservices.networking.istio.io');
  delete foreign.metadata.annotations![bundleHashAnnotation];
  const f = fakeContext([old as unknown as KObject, foreign as unknown as KObject]);
  const outcomes = await installBundledCrds(f.ctx, [bundledCrd('gateways.networking.istio.io'), bundledCrd('virtualservices.networking.istio.io')]);
  assert.deepEqual(Object.fromEntries(outcomes!), { 'gateways.networking.istio.io': 'updated', 'virtualservices.networking.istio.io': 'kept' });
  const gw = f.objects.get('gateways.networking.istio.io')!;
  assert.equal(gw.spec.versions.length, 3);
  assert.equal(gw.metadata.annotations![bundleHashAnnotation], bundledCrd('gateways.networking.istio.io').metadata.annotations![bundleHashAnnotation]);
  assert.equal(gw.metadata.labels!.team, 'mesh');
});

test('without a CRD store it logs and installs nothing', async () => {
  const f = fakeContext([], false);
  assert.equal(await installBundledCrds(f.ctx, bundledCrdsOf('autoscaling.k8s.io')), undefined);
  assert.deepEqual(f.logs, ['CustomResourceDefinitions are not served; bundled CRDs not installed']);
});
