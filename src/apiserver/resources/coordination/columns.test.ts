// Tests for the coordination.k8s.io/v1 Lease printer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { printer as lease } from './lease/columns.ts';

const now = new Date('2025-06-01T12:00:00Z');

describe('lease', () => {
  it('columns match upstream', () => {
    assert.deepEqual(lease.columns.map((c) => [c.name, c.type, c.priority]), [['Name', 'string', 0], ['Holder', 'string', 0], ['Age', 'string', 0]]);
  });
  const cases: [string, Record<string, unknown>, unknown[]][] = [
    ['held', { spec: { holderIdentity: 'node-1_7f3c', leaseDurationSeconds: 15 } }, ['kube-scheduler', 'node-1_7f3c', '400d']],
    ['free', { spec: {} }, ['kube-scheduler', '', '400d']],
  ];
  for (const [name, fields, want] of cases) {
    it(name, () => assert.deepEqual(lease.row({ metadata: { name: 'kube-scheduler', creationTimestamp: '2024-04-27T12:00:00Z' }, ...fields }, now), want));
  }
});
