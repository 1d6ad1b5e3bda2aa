import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const lease = (spec: KObject['spec']): KObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'node-1', namespace: 'kube-node-lease' },
  spec,
});
const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());

test('lease specs are validated with upstream messages', () => {
  const cases: { name: string; spec: KObject['spec']; want: string[] }[] = [
    { name: 'a kubelet heartbeat', spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' }, want: [] },
    { name: 'zero duration', spec: { leaseDurationSeconds: 0 }, want: ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'] },
    { name: 'negative transitions', spec: { leaseTransitions: -1 }, want: ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'preferred holder without strategy',
      spec: { preferredHolder: 'a' },
      want: ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined'],
    },
    {
      name: 'unknown strategy',
      spec: { strategy: 'Newest', preferredHolder: 'a' },
      want: ['spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"'],
    },
  ];
  for (const c of cases) assert.deepEqual(messages(strategy.validate!(lease(c.spec))), c.want, c.name);
});

test('the coordinated-election fields are dropped while their gate is off, unless already stored', () => {
  const created = lease({ holderIdentity: 'a', strategy: 'OldestEmulationVersion', preferredHolder: 'b' });
  strategy.prepareForCreate!(created);
  assert.deepEqual(created.spec, { holderIdentity: 'a' });
  const old = lease({ strategy: 'OldestEmulationVersion' });
  const updated = lease({ strategy: 'OldestEmulationVersion', preferredHolder: 'b' });
  strategy.prepareForUpdate!(updated, old);
  assert.deepEqual(updated.spec, { strategy: 'OldestEmulationVersion' });
});
