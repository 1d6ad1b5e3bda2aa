import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const sa = (o: Partial<KObject> = {}): KObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'swiggy-prod' }, ...o });

test('secret references keep only their names, on create and on update', () => {
  const cases: { name: string; secrets: unknown; want: unknown }[] = [
    { name: 'full references', secrets: [{ name: 'tok', namespace: 'x', uid: 'u', kind: 'Secret' }], want: [{ name: 'tok' }] },
    { name: 'nameless reference', secrets: [{ uid: 'u' }], want: [{}] },
    { name: 'none', secrets: undefined, want: undefined },
  ];
  for (const c of cases) {
    const created = sa({ secrets: structuredClone(c.secrets) });
    strategy.prepareForCreate!(created);
    assert.deepEqual(created.secrets, c.want, c.name);
    const updated = sa({ secrets: structuredClone(c.secrets) });
    strategy.prepareForUpdate!(updated, sa());
    assert.deepEqual(updated.secrets, c.want, c.name);
  }
});

test('the deprecated mountable-secrets annotation draws upstream warning', () => {
  assert.deepEqual(strategy.warnings!(sa({ metadata: { name: 'a', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } } })), [
    'metadata.annotations[kubernetes.io/enforce-mountable-secrets]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets',
  ]);
  assert.deepEqual(strategy.warnings!(sa()), []);
});
