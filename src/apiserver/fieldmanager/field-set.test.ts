import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, FieldSetDecodeError } from './field-set.ts';
import { deserializeElement, fieldElement as f, pathToString, serializeElement, type PathElement } from './path-element.ts';

const key = (...kv: [string, string | number][]): PathElement => ({ kind: 'key', fields: kv });
const val = (v: string | number): PathElement => ({ kind: 'value', value: v });

describe('FieldsV1 encoding', () => {
  it('writes owned leaves as {} and parents that are owned themselves with ".": {}', () => {
    const s = FieldSet.of(
      [f('spec'), f('replicas')],
      [f('spec'), f('template'), f('spec'), f('containers'), key(['name', 'nginx'])],
      [f('spec'), f('template'), f('spec'), f('containers'), key(['name', 'nginx']), f('image')],
      [f('metadata'), f('finalizers'), val('a')],
    );
    assert.deepEqual(s.toFieldsV1(), {
      'f:metadata': { 'f:finalizers': { 'v:"a"': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {} } } } },
      },
    });
  });

  it('orders fields before keys, keys before values, each by Go byte order', () => {
    const s = FieldSet.of([f('b')], [f('a')], [f('B')], [key(['name', 'x'])], [val(2)], [val('a')], [val(1)]);
    assert.deepEqual(Object.keys(s.toFieldsV1()), ['f:B', 'f:a', 'f:b', 'k:{"name":"x"}', 'v:1', 'v:2', 'v:"a"']);
  });

  it('sorts key fields by name and escapes values as Go does', () => {
    assert.equal(serializeElement({ kind: 'key', fields: [['containerPort', 80], ['protocol', 'TCP']] }), 'k:{"containerPort":80,"protocol":"TCP"}');
    assert.equal(serializeElement(val('<a&b>')), 'v:"\\u003ca\\u0026b\\u003e"');
    assert.deepEqual(deserializeElement('k:{"protocol":"TCP","containerPort":80}'), key(['containerPort', 80], ['protocol', 'TCP']));
  });

  it('round-trips through decode', () => {
    const fields = {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} },
    };
    const s = FieldSet.fromFieldsV1(fields);
    assert.deepEqual(s.toFieldsV1(), fields);
    assert.ok(s.has([f('metadata'), f('labels')]));
    assert.ok(s.has([f('metadata'), f('labels'), f('app')]));
    assert.ok(!s.has([f('metadata')]));
    assert.ok(s.has([f('spec'), f('ports'), key(['port', 80], ['protocol', 'TCP'])]));
  });

  it('drops element types it does not know, and rejects malformed ones', () => {
    assert.deepEqual(FieldSet.fromFieldsV1({ 'x:future': {}, 'f:a': {} }).toFieldsV1(), { 'f:a': {} });
    assert.throws(() => FieldSet.fromFieldsV1({ 'f': {} }), FieldSetDecodeError);
    assert.throws(() => FieldSet.fromFieldsV1({ 'fa': {} }), /missing colon: fa/);
    assert.throws(() => FieldSet.fromFieldsV1({ 'k:{nope': {} }), FieldSetDecodeError);
  });

  it('prints paths as conflicts name them', () => {
    assert.equal(pathToString([f('spec'), f('template'), f('spec'), f('containers'), key(['name', 'nginx']), f('image')]), '.spec.template.spec.containers[name="nginx"].image');
    assert.equal(pathToString([f('spec'), f('ports'), key(['port', 80], ['protocol', 'TCP'])]), '.spec.ports[port=80,protocol="TCP"]');
    assert.equal(pathToString([f('metadata'), f('finalizers'), val('x')]), '.metadata.finalizers[="x"]');
    assert.equal(pathToString([f('args'), { kind: 'index', index: 0 }]), '.args[0]');
  });
});

describe('field set algebra', () => {
  const a = FieldSet.of([f('a')], [f('b'), f('c')], [f('b'), f('d')]);
  const b = FieldSet.of([f('b'), f('c')], [f('e')]);

  it('unions, intersects and subtracts leaf-wise', () => {
    assert.deepEqual(a.union(b).paths().map(pathToString), ['.a', '.e', '.b.c', '.b.d']);
    assert.deepEqual(a.intersection(b).paths().map(pathToString), ['.b.c']);
    assert.deepEqual(a.difference(b).paths().map(pathToString), ['.a', '.b.d']);
  });

  it('removing a parent removes its children only in a recursive difference', () => {
    const parent = FieldSet.of([f('b')]);
    assert.deepEqual(a.difference(parent).paths().map(pathToString), ['.a', '.b.c', '.b.d']);
    assert.deepEqual(a.recursiveDifference(parent).paths().map(pathToString), ['.a']);
  });

  it('keeps one subtree', () => {
    assert.deepEqual(a.only(f('b')).paths().map(pathToString), ['.b.c', '.b.d']);
    assert.ok(a.only(f('zzz')).empty());
  });

  it('is empty when only empty children are left', () => {
    assert.ok(FieldSet.of([f('b'), f('c')]).difference(FieldSet.of([f('b'), f('c')])).empty());
    assert.equal(a.size(), 3);
  });
});
