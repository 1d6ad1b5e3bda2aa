import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestAttributes } from '../auth/authorizer.ts';
import type { KObject } from '../registry/kobject.ts';
import type { UserInfo } from '../registry/request-context.ts';
import { RbacAuthorizer } from './rbac-authorizer.ts';
import { RuleResolver } from './rule-resolver.ts';
import { StaticRbacObjects } from './testing/static-rbac-objects.ts';

const g = 'rbac.authorization.k8s.io';
const objects: KObject[] = [
  { kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] },
  { kind: 'Role', metadata: { name: 'cm-one', namespace: 'shop' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['one'] }] },
  {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'readers' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'reader' },
    subjects: [{ apiGroup: g, kind: 'Group', name: 'auditors' }],
  },
  {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'dangling' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'gone' },
    subjects: [{ apiGroup: g, kind: 'User', name: 'jane' }],
  },
  {
    kind: 'RoleBinding',
    metadata: { name: 'sa-cm', namespace: 'shop' },
    roleRef: { apiGroup: g, kind: 'Role', name: 'cm-one' },
    subjects: [{ kind: 'ServiceAccount', name: 'default' }],
  },
  {
    kind: 'RoleBinding',
    metadata: { name: 'jane-pods', namespace: 'shop' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'reader' },
    subjects: [{ apiGroup: g, kind: 'User', name: 'jane' }],
  },
];
const authz = new RbacAuthorizer(new RuleResolver(new StaticRbacObjects(objects)));

const attrs = (user: UserInfo, verb: string, resource: string, namespace: string, name = ''): RequestAttributes => ({
  user,
  verb,
  resourceRequest: true,
  path: '',
  apiGroup: '',
  apiVersion: 'v1',
  resource,
  subresource: '',
  namespace,
  name,
});
const jane = { name: 'jane', groups: ['system:authenticated'] };
const auditor = { name: 'al', groups: ['auditors', 'system:authenticated'] };
const sa = { name: 'system:serviceaccount:shop:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'] };

test('decisions and reasons are upstream’s', () => {
  assert.deepEqual(authz.decide(attrs({ name: 'root', groups: ['system:masters'] }, 'delete', 'nodes', '')), { allowed: true, reason: '' });
  assert.deepEqual(authz.decide(attrs(auditor, 'list', 'pods', 'any')), {
    allowed: true,
    reason: 'RBAC: allowed by ClusterRoleBinding "readers" of ClusterRole "reader" to Group "auditors"',
  });
  assert.deepEqual(authz.decide(attrs(jane, 'get', 'pods', 'shop')), {
    allowed: true,
    reason: 'RBAC: allowed by RoleBinding "jane-pods/shop" of ClusterRole "reader" to User "jane"',
  });
  assert.deepEqual(authz.decide(attrs(jane, 'get', 'pods', 'other')), { allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' });
  assert.deepEqual(authz.decide(attrs(sa, 'get', 'configmaps', 'shop', 'one')), {
    allowed: true,
    reason: 'RBAC: allowed by RoleBinding "sa-cm/shop" of Role "cm-one" to ServiceAccount "default/shop"',
  });
  assert.deepEqual(authz.decide(attrs(sa, 'get', 'configmaps', 'shop', 'two')), { allowed: false, reason: '' });
  assert.equal(authz.decide(attrs({ ...sa, name: 'system:serviceaccount:other:default' }, 'get', 'configmaps', 'shop', 'one')).allowed, false);
});

test('rulesFor lists resource and URL rules apart and reports resolution errors', () => {
  const r = authz.rulesFor(jane, 'shop');
  assert.deepEqual(r.resourceRules, [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: [] }]);
  assert.deepEqual(r.nonResourceRules, []);
  assert.equal(r.incomplete, false);
  assert.equal(r.evaluationError, 'clusterrole.rbac.authorization.k8s.io "gone" not found');
});
