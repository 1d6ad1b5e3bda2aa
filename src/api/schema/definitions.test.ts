import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allDefinitions,
  definitionFor,
  definitionsForGroupVersion,
  getDefinition,
  resolveSchema,
} from './definitions.ts';

test('definitionFor maps group/version/kind to upstream definition names', () => {
  const cases: [string, string, string, string | undefined][] = [
    ['apps', 'v1', 'Deployment', 'io.k8s.api.apps.v1.Deployment'],
    ['', 'v1', 'Pod', 'io.k8s.api.core.v1.Pod'],
    ['', 'v1', 'Event', 'io.k8s.api.core.v1.Event'],
    ['events.k8s.io', 'v1', 'Event', 'io.k8s.api.events.v1.Event'],
    ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler'],
    ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition',
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition'],
    ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'io.k8s.api.rbac.v1.ClusterRole'],
    ['apps', 'v1', 'DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'],
    ['apps', 'v1', 'Pod', undefined],
    ['example.com', 'v1', 'Widget', undefined],
  ];
  for (const [g, v, k, want] of cases) assert.equal(definitionFor(g, v, k), want, `${g}/${v} ${k}`);
});

test('Deployment references PodTemplateSpec and carries upstream required lists and extensions', () => {
  const deployment = getDefinition('io.k8s.api.apps.v1.Deployment')!;
  assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  const spec = resolveSchema(deployment.properties!.spec!);
  assert.equal(spec.name, 'io.k8s.api.apps.v1.DeploymentSpec');
  assert.deepEqual(spec.schema.required, ['selector', 'template']);
  assert.deepEqual(spec.schema.properties!.template, {
    allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' }],
  });
  assert.equal(spec.schema.properties!.strategy!['x-kubernetes-patch-strategy'], 'retainKeys');

  const containers = getDefinition('io.k8s.api.core.v1.PodSpec')!.properties!.containers!;
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
});

test('special types take upstream v3 shapes', () => {
  assert.deepEqual(getDefinition('io.k8s.apimachinery.pkg.util.intstr.IntOrString'), {
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  });
  assert.deepEqual(getDefinition('io.k8s.apimachinery.pkg.api.resource.Quantity'), {
    oneOf: [{ type: 'string' }, { type: 'number' }],
  });
  assert.deepEqual(getDefinition('io.k8s.apimachinery.pkg.apis.meta.v1.Time'), { format: 'date-time', type: 'string' });
  const limits = getDefinition('io.k8s.api.core.v1.ResourceRequirements')!.properties!.limits!;
  assert.deepEqual(limits.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
});

test('fields match Kubernetes 1.33, not the newer release client-node was generated from', () => {
  const podSpec = getDefinition('io.k8s.api.core.v1.PodSpec')!.properties!;
  assert.ok(!('hostnameOverride' in podSpec), 'hostnameOverride arrived in 1.34');
  assert.ok('resources' in podSpec, 'pod-level resources exist in 1.33');
  assert.ok('stopSignal' in getDefinition('io.k8s.api.core.v1.Lifecycle')!.properties!);
  // Property names are data: a field called `description` must survive the description stripping.
  assert.ok('description' in getDefinition('io.k8s.api.scheduling.v1.PriorityClass')!.properties!);
});

test('every reference resolves and no description prose is shipped', () => {
  const defs = allDefinitions();
  const text = JSON.stringify(defs);
  for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
    assert.ok(getDefinition(m[1]!) !== undefined, `dangling $ref ${m[1]}`);
  }
  for (const [name, schema] of Object.entries(defs)) assert.ok(!('description' in schema), name);
});

test('definitionsForGroupVersion returns the kinds of a group-version and their closure', () => {
  const apps = definitionsForGroupVersion('apps', 'v1');
  for (const name of ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.apps.v1.StatefulSetList', 'io.k8s.api.core.v1.PodTemplateSpec',
    'io.k8s.api.core.v1.Container', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status']) {
    assert.ok(name in apps, name);
  }
  assert.ok(!('io.k8s.api.batch.v1.Job' in apps));
  assert.ok(!('io.k8s.api.autoscaling.v1.Scale' in apps));
  assert.ok('io.k8s.api.autoscaling.v1.Scale' in definitionsForGroupVersion('apps', 'v1', ['io.k8s.api.autoscaling.v1.Scale']));
  assert.deepEqual(definitionsForGroupVersion('example.com', 'v1'), {});

  const served: [string, string, string][] = [
    ['', 'v1', 'Pod'], ['apps', 'v1', 'Deployment'], ['batch', 'v1', 'CronJob'], ['autoscaling', 'v1', 'Scale'],
    ['autoscaling', 'v2', 'HorizontalPodAutoscaler'], ['networking.k8s.io', 'v1', 'Ingress'],
    ['discovery.k8s.io', 'v1', 'EndpointSlice'], ['events.k8s.io', 'v1', 'Event'], ['coordination.k8s.io', 'v1', 'Lease'],
    ['policy', 'v1', 'PodDisruptionBudget'], ['rbac.authorization.k8s.io', 'v1', 'RoleBinding'],
    ['storage.k8s.io', 'v1', 'StorageClass'], ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'],
    ['scheduling.k8s.io', 'v1', 'PriorityClass'], ['node.k8s.io', 'v1', 'RuntimeClass'],
    ['authentication.k8s.io', 'v1', 'TokenReview'], ['authorization.k8s.io', 'v1', 'SubjectAccessReview'],
  ];
  for (const [g, v, k] of served) {
    const name = definitionFor(g, v, k);
    assert.ok(name !== undefined && name in definitionsForGroupVersion(g, v), `${g}/${v} ${k}`);
  }
});
