import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../registry/kobject.ts';
import { reconcileClusterRole, reconcileClusterRoleBinding } from './reconciliation.ts';

const g = 'rbac.authorization.k8s.io';
const expectedRole: KObject = {
  metadata: { name: 'r', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
  rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
};

test('a missing role is created; an up-to-date one is left alone', () => {
  assert.equal(reconcileClusterRole(undefined, expectedRole).operation, 'create');
  assert.equal(reconcileClusterRole(structuredClone(expectedRole), expectedRole).operation, 'none');
});

test('missing rules and metadata are added, what users added stays', () => {
  const existing: KObject = {
    metadata: { name: 'r', labels: { team: 'a' } },
    rules: [
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: [''], resources: ['secrets'] },
    ],
  };
  const r = reconcileClusterRole(existing, expectedRole);
  assert.equal(r.operation, 'update');
  assert.equal(r.protected, false);
  assert.deepEqual(r.object.rules, [...existing.rules, { apiGroups: [''], resources: ['pods'], verbs: ['list'] }]);
  assert.deepEqual(r.object.metadata.labels, { 'kubernetes.io/bootstrapping': 'rbac-defaults', team: 'a' });
  assert.deepEqual(r.object.metadata.annotations, { 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
});

test('autoupdate "false" protects a changed role', () => {
  const existing: KObject = { metadata: { name: 'r', annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] };
  const r = reconcileClusterRole(existing, expectedRole);
  assert.equal(r.protected, true);
  assert.equal(r.object.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'false');
});

test('aggregation selectors are added back; an unexpected aggregation rule is removed', () => {
  const sel = { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } };
  const expected: KObject = { metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [sel] } };
  const r = reconcileClusterRole({ metadata: { name: 'view' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { mine: 'x' } }] } }, expected);
  assert.deepEqual(r.object.aggregationRule.clusterRoleSelectors, [{ matchLabels: { mine: 'x' } }, sel]);
  const plain = reconcileClusterRole({ metadata: { name: 'r' }, aggregationRule: { clusterRoleSelectors: [sel] }, rules: expectedRole.rules }, expectedRole);
  assert.equal(plain.operation, 'update');
  assert.equal(plain.object.aggregationRule, undefined);
});

test('bindings gain missing subjects, keep extra ones, and are recreated when the role reference differs', () => {
  const expected: KObject = {
    metadata: { name: 'b' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: g, kind: 'Group', name: 'system:authenticated' }],
  };
  const extra = { apiGroup: g, kind: 'User', name: 'jane' };
  const r = reconcileClusterRoleBinding({ ...structuredClone(expected), subjects: [extra] }, expected);
  assert.equal(r.operation, 'update');
  assert.deepEqual(r.object.subjects, [extra, ...expected.subjects]);
  assert.equal(reconcileClusterRoleBinding(structuredClone(expected), expected).operation, 'none');
  const moved = reconcileClusterRoleBinding({ ...structuredClone(expected), roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'edit' } }, expected);
  assert.equal(moved.operation, 'recreate');
  assert.deepEqual(moved.object.roleRef, expected.roleRef);
});
