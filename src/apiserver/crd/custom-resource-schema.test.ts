// Custom resource decoding: strict unknown fields, pruning, null pruning, defaults and embedded metadata, as upstream.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CustomResourceSchemas, convertForVersion } from './custom-resource-schema.ts';
import { customResourceModel } from './custom-resource-model.ts';
import { prune } from './pruning.ts';
import { applyDefaults, pruneNulls } from './defaulting.ts';
import type { JSONSchemaProps } from './json-schema.ts';
import type { CustomResourceDefinition } from '../resources/apiextensions/customresourcedefinition/types.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        cronSpec: { type: 'string' },
        replicas: { type: 'integer', default: 1 },
        policy: { type: 'string', default: 'Allow' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { typed: { type: 'object', properties: { a: { type: 'string' } } } } },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, weight: { type: 'integer', default: 100 } } } },
        maybe: { type: 'string', nullable: true },
      },
    },
  },
};

function model(versions = [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }]) {
  const crd: CustomResourceDefinition = {
    metadata: { name: 'crontabs.stable.example.com' },
    spec: { group: 'stable.example.com', scope: 'Namespaced', names: { plural: 'crontabs', kind: 'CronTab' }, versions },
  };
  return customResourceModel(crd, crd.spec!.names!)!;
}

const cr = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'x' }) => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata,
  spec,
});

describe('CustomResourceSchemas.unknownFields (strict decoding)', () => {
  const p = new CustomResourceSchemas(model());
  it('reports undeclared fields, sorted, keeping apiVersion, kind and metadata', () => {
    assert.deepEqual(p.unknownFields('v1', cr({ foo: 1, cronSpec: '* * * * *', bar: { x: 1 } })), ['spec.bar', 'spec.foo']);
  });
  it('reports unknown metadata fields first', () => {
    assert.deepEqual(p.unknownFields('v1', { ...cr({ zzz: 1 }, { name: 'x', bogus: true }), top: 1 }), ['metadata.bogus', 'spec.zzz', 'top']);
  });
  it('lets additionalProperties and preserve-unknown-fields keep keys, but prunes inside declared properties', () => {
    assert.deepEqual(p.unknownFields('v1', cr({ labels: { any: 'x' }, free: { anything: { deep: 1 }, typed: { a: 'x', b: 'y' } } })), ['spec.free.typed.b']);
  });
  it('indexes list items', () => {
    assert.deepEqual(p.unknownFields('v1', cr({ items: [{ name: 'a' }, { name: 'b', extra: true }] })), ['spec.items[1].extra']);
  });
  it("reports unknown fields of an embedded resource's metadata", () => {
    assert.deepEqual(p.unknownFields('v1', cr({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', nope: 1 }, spec: {} } })), [
      'spec.template.metadata.nope',
    ]);
  });
  it('never leaves the object it checks changed', () => {
    const o = cr({ foo: 1 });
    p.unknownFields('v1', o);
    assert.deepEqual(o.spec, { foo: 1 });
  });
});

describe('CustomResourceSchemas.normalize (prune, null pruning, defaults)', () => {
  const p = new CustomResourceSchemas(model());
  it('prunes, drops non-nullable nulls and applies defaults', () => {
    const o = cr({ cronSpec: '* * * * *', foo: 1, policy: null, maybe: null, items: [{ name: 'a' }] }, { name: 'x', labels: {}, bogus: 1 });
    p.normalize('v1', o);
    assert.deepEqual(o, {
      apiVersion: 'stable.example.com/v1',
      kind: 'CronTab',
      metadata: { name: 'x' },
      spec: { cronSpec: '* * * * *', policy: 'Allow', maybe: null, items: [{ name: 'a', weight: 100 }], replicas: 1 },
    });
  });
  it('reports metadata that is not an ObjectMeta as a decoding error', () => {
    assert.equal(p.typeError('v1', cr({}, { name: 'x', labels: { a: 1 } })), 'json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string');
    assert.equal(p.typeError('v1', cr({})), undefined);
  });
  it('reports an embedded resource whose kind is not a string', () => {
    assert.equal(p.typeError('v1', cr({ template: { apiVersion: 'v1', kind: 5 } })), 'spec.template.kind: Invalid value: 5: must be a string');
  });
  it('has no strategic merge metadata', () => assert.equal(p.patchMeta('v1'), undefined));
});

describe('pruning and defaulting algorithms', () => {
  it('keeps what additionalProperties: true allows only at that level', () => {
    const o = { a: { x: { deep: 1 } } };
    prune(o, { type: 'object', properties: { a: { type: 'object', additionalProperties: true } } }, false);
    assert.deepEqual(o, { a: { x: {} } });
  });
  it('defaults a null value of a non-nullable field, and keeps nulls of nullable ones', () => {
    const s: JSONSchemaProps = { type: 'object', properties: { a: { type: 'string', default: 'x' }, b: { type: 'string', nullable: true, default: 'y' } } };
    const o: Record<string, unknown> = { a: null, b: null };
    pruneNulls(o, s);
    applyDefaults(o, s);
    assert.deepEqual(o, { a: 'x', b: null });
  });
});

describe('convertForVersion', () => {
  it('rewrites apiVersion and applies the target version schema', () => {
    const m = model([
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } },
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } } } },
    ]);
    const out = convertForVersion(m, 'v1beta1', cr({ cronSpec: 'a', replicas: 3 }));
    assert.deepEqual(out, { apiVersion: 'stable.example.com/v1beta1', kind: 'CronTab', metadata: { name: 'x' }, spec: { cronSpec: 'a' } });
  });
});
