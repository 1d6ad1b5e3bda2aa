import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const ns = (o: Partial<KObject> = {}): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'swiggy-prod' }, ...o });
const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());

test('a new namespace is Active, labelled with its name and holds the kubernetes finalizer', () => {
  const cases: { name: string; spec?: KObject['spec']; finalizers: string[] }[] = [
    { name: 'no spec', finalizers: ['kubernetes'] },
    { name: 'empty finalizers', spec: { finalizers: [] }, finalizers: ['kubernetes'] },
    { name: 'own finalizer kept, kubernetes appended', spec: { finalizers: ['example.com/cleanup'] }, finalizers: ['example.com/cleanup', 'kubernetes'] },
    { name: 'kubernetes not repeated', spec: { finalizers: ['kubernetes'] }, finalizers: ['kubernetes'] },
  ];
  for (const c of cases) {
    const obj = ns({ spec: c.spec, status: { phase: 'Terminating' } });
    strategy.defaults!(obj);
    strategy.prepareForCreate!(obj);
    assert.deepEqual(obj.spec.finalizers, c.finalizers, c.name);
    assert.deepEqual(obj.status, { phase: 'Active' }, c.name);
    assert.equal(obj.metadata.labels?.['kubernetes.io/metadata.name'], 'swiggy-prod', c.name);
  }
});

test('defaulting fills an empty phase and overwrites a wrong name label', () => {
  const obj = ns({ metadata: { name: 'a', labels: { 'kubernetes.io/metadata.name': 'b' } } });
  strategy.defaults!(obj);
  assert.deepEqual(obj.metadata.labels, { 'kubernetes.io/metadata.name': 'a' });
  assert.deepEqual(obj.status, { phase: 'Active' });
});

test('an update keeps spec.finalizers and status from the stored namespace', () => {
  const old = ns({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
  const cases: { name: string; input: KObject }[] = [
    { name: 'finalizers removed', input: ns({ spec: { finalizers: [] }, status: { phase: 'Active' } }) },
    { name: 'spec and status absent', input: ns() },
  ];
  for (const c of cases) {
    strategy.prepareForUpdate!(c.input, old);
    assert.deepEqual(c.input.spec, { finalizers: ['kubernetes'] }, c.name);
    assert.deepEqual(c.input.status, { phase: 'Terminating' }, c.name);
  }
});

test('finalizer names are checked as upstream words it', () => {
  const cases: { finalizers: string[]; want: string[] }[] = [
    { finalizers: ['kubernetes', 'orphan', 'foregroundDeletion', 'example.com/x'], want: [] },
    {
      finalizers: ['custom'],
      want: ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'],
    },
    {
      finalizers: ['bad name'],
      want: [
        `spec.finalizers: Invalid value: "bad name": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        'spec.finalizers: Invalid value: "bad name": name is neither a standard finalizer name nor is it fully qualified',
      ],
    },
  ];
  for (const c of cases) {
    const obj = ns({ spec: { finalizers: c.finalizers } });
    assert.deepEqual(messages(strategy.validate!(obj)), c.want, c.finalizers.join(','));
    assert.deepEqual(messages(strategy.validateUpdate!(obj, obj)), c.want, c.finalizers.join(','));
  }
});

test('namespaces select on status.phase and, for old clients, on name', () => {
  const obj = ns({ status: { phase: 'Active' } });
  assert.deepEqual(strategy.selectableFields!(obj), { 'status.phase': 'Active', name: 'swiggy-prod' });
  assert.equal(strategy.nameValidation, 'dns1123Label');
});
