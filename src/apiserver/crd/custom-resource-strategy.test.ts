// The custom resource strategy and registry entry: status handling, generation, validation, scale, list types and OpenAPI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customResourceModel } from './custom-resource-model.ts';
import { customResourceDefinition, customResourceVerbs } from './served-resource.ts';
import { customResourceOpenAPI, definitionName } from './openapi.ts';
import type { KObject } from '../registry/kobject.ts';
import type { CustomResourceDefinition, CRDVersion } from '../resources/apiextensions/customresourcedefinition/types.ts';

const version: CRDVersion = {
  name: 'v1',
  served: true,
  storage: true,
  schema: {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            replicas: { type: 'integer' },
            tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
            ports: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['name'],
              items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } },
            },
            template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
            port: { 'x-kubernetes-int-or-string': true },
          },
        },
        status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
      },
    },
  },
  subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
  selectableFields: [{ jsonPath: '.spec.replicas' }],
};

function definition(versions: CRDVersion[] = [version]) {
  const crd: CustomResourceDefinition = {
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'], categories: ['all'] },
      versions,
    },
  };
  const model = customResourceModel(crd, crd.spec!.names!)!;
  return { model, def: customResourceDefinition(model) };
}

const cr = (spec: Record<string, unknown>, status?: Record<string, unknown>): KObject => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name: 'x', namespace: 'default', generation: 1 },
  spec,
  ...(status ? { status } : {}),
});

describe('customResourceDefinition', () => {
  const { def } = definition();
  it('serves the names, scope, verbs and subresources of the CRD', () => {
    assert.equal(def.group, 'stable.example.com');
    assert.equal(def.resource, 'crontabs');
    assert.equal(def.kind, 'CronTab');
    assert.equal(def.listKind, 'CronTabList');
    assert.equal(def.namespaced, true);
    assert.deepEqual(def.shortNames, ['ct']);
    assert.deepEqual(def.categories, ['all']);
    assert.deepEqual(def.verbs, customResourceVerbs);
    assert.equal(def.subresources.status, true);
    assert.equal(def.subresources.scale!.specReplicasPath, 'spec.replicas');
    assert.equal(def.subresources.scale!.selector(cr({}, { selector: 'app=web' })), 'app=web');
    assert.equal(def.subresources.scale!.selector(cr({})), '');
  });

  it('converts other served versions by apiVersion only', () => {
    const { def: two } = definition([version, { ...version, name: 'v1beta1', storage: false, deprecated: true }]);
    assert.deepEqual(
      two.versions.map((v) => [v.version, !!v.conversion, v.deprecationWarning]),
      [
        ['v1', false, undefined],
        ['v1beta1', true, 'stable.example.com/v1beta1 CronTab is deprecated'],
      ],
    );
    assert.equal(two.versions[1].conversion!.toStorage(cr({}) as KObject).apiVersion, 'stable.example.com/v1');
  });
});

describe('custom resource strategy', () => {
  const { def } = definition();
  const s = def.strategy;
  const msgs = (errs: { message(): string }[] | undefined) => (errs ?? []).map((e) => e.message());

  it('drops status on create and starts at generation 1', () => {
    const o = cr({ replicas: 1 }, { replicas: 5 });
    s.prepareForCreate!(o);
    assert.equal(o.status, undefined);
    assert.equal(o.metadata.generation, 1);
  });

  it('bumps generation when anything but metadata changes', () => {
    const old = cr({ replicas: 1 });
    const sameSpec = cr({ replicas: 1 });
    sameSpec.metadata.labels = { a: 'b' };
    s.prepareForUpdate!(sameSpec, old);
    assert.equal(sameSpec.metadata.generation, 1);
    const changed = cr({ replicas: 2 });
    s.prepareForUpdate!(changed, old);
    assert.equal(changed.metadata.generation, 2);
  });

  it('validates against the schema, scale paths and list types', () => {
    assert.deepEqual(msgs(s.validate!(cr({ replicas: -1, tags: ['a', 'b', 'a'], ports: [{ name: 'http' }, { name: 'http', port: 1 }] }))), [
      '.spec.replicas: Invalid value: -1: should be a non-negative integer',
      'spec.tags[2]: Duplicate value: "a"',
      'spec.ports[1]: Duplicate value: map[string]interface {}{"name":"http"}',
    ]);
  });

  it('checks apiVersion and kind first', () => {
    const o = cr({});
    o.kind = 'Other';
    assert.deepEqual(msgs(s.validate!(o)), ['kind: Invalid value: "Other": must be CronTab']);
  });

  it('validates embedded resources', () => {
    assert.deepEqual(msgs(s.validate!(cr({ template: { metadata: { name: 'p' } } }))), [
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
    ]);
  });

  it('validates a status write against the status schema, with paths under status', () => {
    const old = cr({ replicas: 1 }, { replicas: 1 });
    const next = cr({ replicas: 1 }, { replicas: 'many' });
    assert.deepEqual(msgs(s.validateUpdate!(next, old)), [
      'status.replicas: Invalid value: "string": replicas in body must be of type integer: "string"',
      '.status.replicas: Invalid value: 0: .status.replicas accessor error: many is of the type string, expected int64',
    ]);
  });

  it('warns about finalizers that are not domain-qualified', () => {
    const o = cr({});
    o.metadata.finalizers = ['cleanup', 'example.com/cleanup', 'example.com'];
    assert.deepEqual(s.warnings!(o), [
      'metadata.finalizers: "cleanup": prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers',
      'metadata.finalizers: "example.com": prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers',
    ]);
  });

  it('offers its selectable fields to field selectors', () => {
    assert.deepEqual(s.selectableFields!(cr({ replicas: 3 })), { 'spec.replicas': '3' });
    assert.deepEqual(s.selectableFields!(cr({})), { 'spec.replicas': '' });
  });
});

describe('customResourceOpenAPI', () => {
  const { model } = definition();
  it('names the schema like upstream and publishes the kind with its group-version-kind', () => {
    assert.equal(definitionName('stable.example.com', 'v1', 'CronTab'), 'com.example.stable.v1.CronTab');
    const doc = customResourceOpenAPI(model, 'v1')!;
    assert.equal(doc.name, 'com.example.stable.v1.CronTab');
    const kind = doc.schemas[doc.name] as Record<string, any>;
    assert.deepEqual(kind['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }]);
    assert.deepEqual(kind.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.deepEqual(kind.properties.spec.properties.port.anyOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.deepEqual(kind.properties.spec.properties.template.required, ['kind', 'apiVersion']);
    assert.ok(doc.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    assert.ok(doc.schemas['io.k8s.api.autoscaling.v1.Scale']);
    const list = doc.schemas['com.example.stable.v1.CronTabList'] as Record<string, any>;
    assert.equal(list.description, 'CronTabList is a list of CronTab');
  });
});
