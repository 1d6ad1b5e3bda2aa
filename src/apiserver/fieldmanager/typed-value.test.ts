import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getDefinition } from '../../api/schema/definitions.ts';
import { FieldSet } from './field-set.ts';
import { fieldElement as f, pathToString, type JsonValue } from './path-element.ts';
import { compare, merge, removeItems, toFieldSet, TypedValueError, validate } from './typed-value.ts';
import { deduced, OpenApiTypes } from './type-schema.ts';

const types = new OpenApiTypes(getDefinition);
const deployment = types.named('io.k8s.api.apps.v1.Deployment');
const service = types.named('io.k8s.api.core.v1.Service');
const paths = (s: FieldSet) => s.paths().map(pathToString);

const podSpec = (containers: JsonValue[]) => ({ spec: { template: { spec: { containers } } } });

describe('field sets of objects', () => {
  it('owns leaves, atomic values whole, and map-list items by key (with the protocol default)', () => {
    const obj = {
      metadata: { labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'nginx', image: 'nginx', args: ['a', 'b'], ports: [{ containerPort: 80 }] }] } },
      },
    };
    assert.deepEqual(toFieldSet(obj, deployment).toFieldsV1(), {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:args': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
  });

  it('owns set-type list items by value and empty objects as leaves', () => {
    const s = toFieldSet({ metadata: { finalizers: ['a', 'b'] }, spec: { template: { spec: { securityContext: {} } } } }, deployment);
    assert.deepEqual(paths(s), ['.metadata.finalizers[="a"]', '.metadata.finalizers[="b"]', '.spec.template.spec.securityContext']);
  });

  it('treats objects without a schema as granular maps with atomic lists', () => {
    assert.deepEqual(paths(toFieldSet({ spec: { a: { b: 1 }, list: [1, 2] } }, deduced)), ['.spec', '.spec.a', '.spec.list', '.spec.a.b']);
  });
});

describe('comparison', () => {
  it('tells added, modified and removed fields apart', () => {
    const before = { spec: { replicas: 1, paused: true, template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } };
    const after = { spec: { replicas: 2, minReadySeconds: 5, template: { spec: { containers: [{ name: 'a', image: 'y' }, { name: 'b', image: 'z' }] } } } };
    const c = compare(before, after, deployment);
    assert.deepEqual(paths(c.modified), ['.spec.replicas', '.spec.template.spec.containers[name="a"].image']);
    assert.deepEqual(paths(c.removed), ['.spec.paused']);
    assert.deepEqual(paths(c.added), [
      '.spec.minReadySeconds',
      '.spec.template.spec.containers[name="b"]',
      '.spec.template.spec.containers[name="b"].image',
      '.spec.template.spec.containers[name="b"].name',
    ]);
  });

  it('compares an atomic selector as one value', () => {
    const c = compare({ spec: { selector: { matchLabels: { a: '1' } } } }, { spec: { selector: { matchLabels: { a: '2' } } } }, deployment);
    assert.deepEqual(paths(c.modified), ['.spec.selector']);
  });
});

describe('merge', () => {
  it('keeps live fields, takes applied values, and orders shared list items as the applied list does', () => {
    const live = podSpec([{ name: 'a', image: '1' }, { name: 'b', image: '1' }, { name: 'c', image: '1' }]);
    const applied = podSpec([{ name: 'c', image: '2' }, { name: 'a', image: '2' }]);
    assert.deepEqual(merge(live, applied, deployment), podSpec([{ name: 'b', image: '1' }, { name: 'c', image: '2' }, { name: 'a', image: '2' }]));
  });

  it('appends new items after the live ones they follow', () => {
    const merged = merge(podSpec([{ name: 'a' }, { name: 'b' }]), podSpec([{ name: 'a' }, { name: 'x' }]), deployment);
    assert.deepEqual(merged, podSpec([{ name: 'a' }, { name: 'b' }, { name: 'x' }]));
  });

  it('replaces atomic lists whole', () => {
    const merged = merge(podSpec([{ name: 'a', args: ['1', '2'] }]), podSpec([{ name: 'a', args: ['3'] }]), deployment) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    assert.deepEqual(merged.spec.template.spec.containers[0]!.args, ['3']);
  });

  it('rejects duplicate keys in the applied list', () => {
    assert.throws(() => merge(podSpec([]), podSpec([{ name: 'a' }, { name: 'a' }]), deployment), (e: unknown) => e instanceof TypedValueError && /duplicate entries for key \[name="a"\]/.test(e.message));
  });
});

describe('removal', () => {
  it('removes fields and list items, and empties containers to null', () => {
    const obj = { metadata: { labels: { a: '1' } }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } } };
    const out = removeItems(obj, deployment, FieldSet.of([f('metadata'), f('labels'), f('a')], [f('spec'), f('replicas')], [f('spec'), f('template'), f('spec'), f('containers'), { kind: 'key', fields: [['name', 'a']] }]));
    assert.deepEqual(out, { metadata: { labels: null }, spec: { template: { spec: { containers: [{ name: 'b' }] } } } });
  });
});

describe('validation of applied objects', () => {
  const cases: [string, JsonValue, string[]][] = [
    ['an undeclared field', { spec: { replicas: 1, bogus: 1 } }, ['.spec.bogus: field not declared in schema']],
    ['a string where a number belongs', { spec: { replicas: '3' } }, ['.spec.replicas: expected numeric (int or float), got string']],
    ['a duplicated key', podSpec([{ name: 'a' }, { name: 'a' }]), ['.spec.template.spec.containers: duplicate entries for key [name="a"]']],
    [
      'an item without its key',
      podSpec([{ image: 'x' }]),
      ['.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)'],
    ],
    ['a valid object', { spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 1 }] }] } } } }, []],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => {
      assert.deepEqual(
        validate(obj, deployment, false).map((e) => `${e.path}: ${e.message}`),
        want,
      );
    });
  }

  it('accepts anything under a preserve-unknown-fields schema', () => {
    const crd = new OpenApiTypes(() => undefined).inline({ type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as never } });
    assert.deepEqual(validate({ spec: { anything: { goes: [1] } } }, crd, false), []);
    assert.deepEqual(validate({ other: 1 }, crd, false).map((e) => e.path), ['.other']);
  });

  it('reads ports of a Service by port and protocol', () => {
    assert.deepEqual(paths(toFieldSet({ spec: { ports: [{ port: 80, targetPort: 8080 }] } }, service)), [
      '.spec.ports[port=80,protocol="TCP"]',
      '.spec.ports[port=80,protocol="TCP"].port',
      '.spec.ports[port=80,protocol="TCP"].targetPort',
    ]);
  });
});
