import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const cm = (o: Partial<KObject> = {}): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'swiggy-config-prod', namespace: 'swiggy-prod' }, ...o });
const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());
const keyMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

test('ConfigMap contents are validated with upstream messages', () => {
  const cases: { name: string; obj: KObject; want: string[] }[] = [
    { name: 'the seed config', obj: cm({ data: { 'app.yaml': 'environment: production\n' } }), want: [] },
    { name: 'bad data key', obj: cm({ data: { 'a b': 'x' } }), want: [`data[a b]: Invalid value: "a b": ${keyMsg}`] },
    { name: 'bad binaryData key', obj: cm({ binaryData: { '..': 'eA==' } }), want: [`binaryData[..]: Invalid value: "..": must not be '..'`] },
    {
      name: 'key in both maps',
      obj: cm({ data: { k: 'x' }, binaryData: { k: 'eA==' } }),
      want: ['data[k]: Invalid value: "k": duplicate of key present in binaryData'],
    },
    { name: 'exactly 1 MiB', obj: cm({ data: { k: 'x'.repeat(1024 * 1024) } }), want: [] },
    {
      name: 'over 1 MiB across both maps',
      obj: cm({ data: { k: 'x'.repeat(1024 * 1024) }, binaryData: { b: Buffer.from('y').toString('base64') } }),
      want: [': Too long: may not be more than 1048576 bytes'],
    },
    { name: 'multi-byte characters count as bytes', obj: cm({ data: { k: 'é'.repeat(524289) } }), want: [': Too long: may not be more than 1048576 bytes'] },
  ];
  for (const c of cases) assert.deepEqual(messages(strategy.validate!(c.obj)), c.want, c.name);
});

test('an immutable ConfigMap rejects changes to its data and to the flag', () => {
  const immutableMsg = 'Forbidden: field is immutable when `immutable` is set';
  const old = cm({ data: { a: '1' }, immutable: true });
  const cases: { name: string; obj: KObject; old: KObject; want: string[] }[] = [
    { name: 'metadata-only change', obj: cm({ metadata: { name: 'swiggy-config-prod', labels: { a: 'b' } }, data: { a: '1' }, immutable: true }), old, want: [] },
    { name: 'data changed', obj: cm({ data: { a: '2' }, immutable: true }), old, want: [`data: ${immutableMsg}`] },
    { name: 'flag cleared', obj: cm({ data: { a: '1' }, immutable: false }), old, want: [`immutable: ${immutableMsg}`] },
    { name: 'flag dropped', obj: cm({ data: { a: '1' } }), old, want: [`immutable: ${immutableMsg}`] },
    { name: 'binaryData added', obj: cm({ data: { a: '1' }, binaryData: { b: 'eA==' }, immutable: true }), old, want: [`binaryData: ${immutableMsg}`] },
    { name: 'empty map where none was stored', obj: cm({ data: {}, immutable: true }), old: cm({ immutable: true }), want: [`data: ${immutableMsg}`] },
    { name: 'no data either side', obj: cm({ immutable: true }), old: cm({ data: {}, immutable: true }), want: [] },
    { name: 'a mutable ConfigMap may change', obj: cm({ data: { a: '2' }, immutable: true }), old: cm({ data: { a: '1' } }), want: [] },
  ];
  for (const c of cases) assert.deepEqual(messages(strategy.validateUpdate!(c.obj, c.old)), c.want, c.name);
});
