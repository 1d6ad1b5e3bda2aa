import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../registry/kobject.ts';
import { strategy as role } from './role/strategy.ts';
import { strategy as clusterRole } from './clusterrole/strategy.ts';
import { strategy as roleBinding } from './rolebinding/strategy.ts';
import { strategy as clusterRoleBinding } from './clusterrolebinding/strategy.ts';

const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());
const g = 'rbac.authorization.k8s.io';

test('policy rules are validated with upstream messages', () => {
  const cases: [string, KObject['rules'], boolean, string[]][] = [
    ['a good rule', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], true, []],
    ['no verbs', [{ apiGroups: [''], resources: ['pods'] }], true, ['rules[0].verbs: Required value: verbs must contain at least one value']],
    [
      'no groups or resources',
      [{ verbs: ['get'] }],
      false,
      ['rules[0].apiGroups: Required value: resource rules must supply at least one api group', 'rules[0].resources: Required value: resource rules must supply at least one resource'],
    ],
    ['URLs in a Role', [{ verbs: ['get'], nonResourceURLs: ['/x'] }], true, ['rules[0].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs']],
    [
      'URLs mixed with resources',
      [{ verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] }],
      false,
      ['rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs'],
    ],
    ['URLs in a ClusterRole', [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }], false, []],
    ['names with several resources are allowed since 1.20', [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'secrets'], resourceNames: ['a'] }], true, []],
  ];
  for (const [name, rules, namespaced, want] of cases) {
    const s = namespaced ? role : clusterRole;
    assert.deepEqual(messages(s.validate!({ metadata: { name: 'r' }, rules })), want, name);
  }
  assert.equal(role.nameValidation, 'pathSegment');
});

test('aggregation rules need a selector, and valid ones', () => {
  const v = (aggregationRule: unknown) => messages(clusterRole.validate!({ metadata: { name: 'r' }, aggregationRule }));
  assert.deepEqual(v({ clusterRoleSelectors: [] }), ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil']);
  assert.deepEqual(v({ clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-view': 'true' } }] }), []);
  assert.deepEqual(v({ clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }] }), [
    'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: Invalid value: "Bogus": not a valid selector operator',
    'aggregationRule.clusterRoleSelectors[0]: Invalid value: "null": invalid label selector.',
  ]);
});

const binding = (o: Partial<KObject> = {}): KObject => ({
  metadata: { name: 'b', namespace: 'shop' },
  roleRef: { kind: 'ClusterRole', name: 'view' },
  subjects: [{ kind: 'User', name: 'jane' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'default' }],
  ...o,
});

test('bindings default the RBAC group where it is implied', () => {
  const b = binding();
  roleBinding.defaults!(b);
  assert.deepEqual(b.roleRef, { kind: 'ClusterRole', name: 'view', apiGroup: g });
  assert.deepEqual(b.subjects, [
    { kind: 'User', name: 'jane', apiGroup: g },
    { kind: 'Group', name: 'devs', apiGroup: g },
    { kind: 'ServiceAccount', name: 'default' },
  ]);
  assert.deepEqual(messages(roleBinding.validate!(b)), []);
});

test('bindings are validated with upstream messages', () => {
  const v = (s: typeof roleBinding, b: KObject) => {
    s.defaults!(b);
    return messages(s.validate!(b));
  };
  assert.deepEqual(v(roleBinding, binding({ roleRef: { kind: 'Thing', name: '' } })), [
    'roleRef.kind: Unsupported value: "Thing": supported values: "Role", "ClusterRole"',
    'roleRef.name: Required value',
  ]);
  assert.deepEqual(v(clusterRoleBinding, binding({ roleRef: { kind: 'Role', name: 'a/b' } })), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    `roleRef.name: Invalid value: "a/b": may not contain '/'`,
    'subjects[2].namespace: Required value',
  ]);
  assert.deepEqual(v(roleBinding, binding({ roleRef: { apiGroup: 'example.com', kind: 'ClusterRole', name: 'x' }, subjects: [{ kind: 'Robot', name: '' }, { kind: 'ServiceAccount', name: 'Bad_Name', apiGroup: g }] })), [
    'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
    'subjects[0].name: Required value',
    'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    `subjects[1].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    'subjects[1].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
  ]);
});

test('roleRef cannot change', () => {
  const old = binding();
  roleBinding.defaults!(old);
  const next = binding({ roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'edit' } });
  roleBinding.defaults!(next);
  assert.deepEqual(messages(roleBinding.validateUpdate!(next, old)), [
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
  ]);
  assert.deepEqual(messages(roleBinding.validateUpdate!(structuredClone(old), old)), []);
});
