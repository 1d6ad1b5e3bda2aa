import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategy as role } from './role/strategy.ts';
import { strategy as clusterRole } from './clusterrole/strategy.ts';
import { strategy as roleBinding } from './rolebinding/strategy.ts';
import { strategy as clusterRoleBinding } from './clusterrolebinding/strategy.ts';

const now = new Date('2025-06-01T12:00:00Z');

test('role columns are NAME and CREATED AT', () => {
  for (const s of [role, clusterRole]) {
    assert.deepEqual(s.printer!.columns.map((c) => [c.name, c.type, c.priority]), [['Name', 'string', 0], ['Created At', 'date', 0]]);
    assert.deepEqual(s.printer!.row({ metadata: { name: 'view', creationTimestamp: '2025-06-01T10:00:00Z' } }, now), ['view', '2025-06-01T10:00:00Z']);
  }
});

test('binding columns are NAME ROLE AGE, and USERS GROUPS SERVICEACCOUNTS with -o wide', () => {
  for (const s of [roleBinding, clusterRoleBinding]) {
    assert.deepEqual(s.printer!.columns.map((c) => [c.name, c.priority]), [['Name', 0], ['Role', 0], ['Age', 0], ['Users', 1], ['Groups', 1], ['ServiceAccounts', 1]]);
  }
  const row = roleBinding.printer!.row(
    {
      metadata: { name: 'b', creationTimestamp: '2025-06-01T11:55:00Z' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'jane' },
        { kind: 'User', name: 'sam' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
        { kind: 'ServiceAccount', name: 'default' },
      ],
    },
    now,
  );
  assert.deepEqual(row, ['b', 'ClusterRole/view', '5m', 'jane, sam', 'devs', 'tools/ci, default']);
});
