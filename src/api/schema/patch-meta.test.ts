import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PatchMeta } from '../../machinery/patch-meta.ts';
import { patchMetaFor } from './patch-meta.ts';

function at(meta: PatchMeta, ...path: string[]): PatchMeta {
  let m = meta;
  for (const p of path) {
    if (p === '[]') {
      assert.ok(m.items !== undefined, `no items at ${path.join('.')}`);
      m = m.items;
    } else {
      const next = m.field(p);
      assert.ok(next !== undefined, `no field ${p} in ${path.join('.')}`);
      m = next;
    }
  }
  return m;
}

test('Deployment pod template lists merge by their upstream keys', () => {
  const d = patchMetaFor('io.k8s.api.apps.v1.Deployment');
  assert.equal(d.kind, 'object');
  const podSpec = at(d, 'spec', 'template', 'spec');
  const cases: { path: string[]; mergeKey: string | undefined; strategies: string[] }[] = [
    { path: ['containers'], mergeKey: 'name', strategies: ['merge'] },
    { path: ['initContainers'], mergeKey: 'name', strategies: ['merge'] },
    { path: ['volumes'], mergeKey: 'name', strategies: ['merge', 'retainKeys'] },
    { path: ['imagePullSecrets'], mergeKey: 'name', strategies: ['merge'] },
    { path: ['containers', '[]', 'ports'], mergeKey: 'containerPort', strategies: ['merge'] },
    { path: ['containers', '[]', 'env'], mergeKey: 'name', strategies: ['merge'] },
    { path: ['containers', '[]', 'volumeMounts'], mergeKey: 'mountPath', strategies: ['merge'] },
    { path: ['containers', '[]', 'args'], mergeKey: undefined, strategies: [] },
  ];
  for (const c of cases) {
    const m = at(podSpec, ...c.path);
    assert.equal(m.kind, 'list', c.path.join('.'));
    assert.equal(m.mergeKey, c.mergeKey, c.path.join('.'));
    assert.deepEqual(m.strategies, c.strategies, c.path.join('.'));
  }
  assert.deepEqual(at(d, 'spec', 'strategy').strategies, ['retainKeys']);
  assert.equal(at(d, 'spec', 'strategy').kind, 'object');
});

test('metadata: maps, owner references, finalizers', () => {
  const d = patchMetaFor('io.k8s.api.apps.v1.Deployment');
  const labels = at(d, 'metadata', 'labels');
  assert.equal(labels.kind, 'map');
  assert.equal(labels.items?.kind, 'primitive');
  const owners = at(d, 'metadata', 'ownerReferences');
  assert.equal(owners.mergeKey, 'uid');
  assert.deepEqual(at(d, 'metadata', 'finalizers').strategies, ['merge']);
  assert.equal(at(d, 'metadata', 'finalizers').mergeKey, undefined);
  assert.equal(d.field('bogus'), undefined);
});

test('scalars, int-or-string, quantities and times are primitive', () => {
  const d = patchMetaFor('io.k8s.api.apps.v1.Deployment');
  assert.equal(at(d, 'spec', 'replicas').kind, 'primitive');
  assert.equal(at(d, 'spec', 'strategy', 'rollingUpdate', 'maxSurge').kind, 'primitive');
  assert.equal(at(d, 'metadata', 'creationTimestamp').kind, 'primitive');
  const limits = at(d, 'spec', 'template', 'spec', 'containers', '[]', 'resources', 'limits');
  assert.equal(limits.kind, 'map');
  assert.equal(limits.items?.kind, 'primitive');
});

test('Service ports merge by port; conditions by type', () => {
  const svc = patchMetaFor('io.k8s.api.core.v1.Service');
  assert.equal(at(svc, 'spec', 'ports').mergeKey, 'port');
  assert.equal(at(svc, 'status', 'conditions').mergeKey, 'type');
  // Upstream tags only Deployment's strategy with retainKeys; DaemonSet's updateStrategy merges normally.
  const ds = patchMetaFor('io.k8s.api.apps.v1.DaemonSet');
  assert.deepEqual(at(ds, 'spec', 'updateStrategy').strategies, []);
});

test('free-form values merge as plain maps', () => {
  const rev = patchMetaFor('io.k8s.api.apps.v1.ControllerRevision');
  const data = at(rev, 'data');
  assert.equal(data.kind, 'map');
  assert.equal(data.field('anything'), undefined);
});

test('recursive definitions resolve lazily', () => {
  const crd = patchMetaFor('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition');
  const schema = at(crd, 'spec', 'versions', '[]', 'schema', 'openAPIV3Schema');
  assert.equal(at(schema, 'properties').items?.field('properties')?.kind, 'map');
  assert.throws(() => patchMetaFor('io.k8s.api.apps.v1.Nope'), /unknown definition/);
});
