import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../registry/kobject.ts';
import type { UserInfo } from '../registry/request-context.ts';
import { validateClusterRole } from '../resources/rbac/clusterrole/validation.ts';
import { validateBinding } from '../resources/rbac/binding-validation.ts';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.ts';
import { aggregatedRules } from './clusterrole-aggregation.ts';
import { RbacAuthorizer } from './rbac-authorizer.ts';
import { RuleResolver } from './rule-resolver.ts';
import { StaticRbacObjects } from './testing/static-rbac-objects.ts';

/** The bootstrap roles after the aggregation controller has run to a fixed point. */
function aggregated(): KObject[] {
  const roles = bootstrapClusterRoles();
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of roles) {
      const rules = aggregatedRules(r, roles);
      if (rules && JSON.stringify(rules) !== JSON.stringify(r.rules ?? [])) {
        r.rules = rules;
        changed = true;
      }
    }
  }
  return roles;
}

function authorizerFor(subject: { kind: string; name: string; namespace?: string }, clusterRole: string): RbacAuthorizer {
  const binding: KObject = {
    kind: 'RoleBinding',
    metadata: { name: 'b', namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects: [{ apiGroup: subject.kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io', ...subject }],
  };
  return new RbacAuthorizer(new RuleResolver(new StaticRbacObjects([...aggregated(), ...bootstrapClusterRoleBindings(), binding])));
}

const jane: UserInfo = { name: 'jane', groups: ['system:authenticated'] };
const can = (a: RbacAuthorizer, verb: string, group: string, resource: string, subresource = '', user: UserInfo = jane) =>
  a.decide({ user, verb, resourceRequest: true, path: '', apiGroup: group, apiVersion: 'v1', resource, subresource, namespace: 'shop', name: '' }).allowed;
const canGet = (a: RbacAuthorizer, path: string, user: UserInfo = jane) =>
  a.decide({ user, verb: 'get', resourceRequest: false, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' }).allowed;

test('the bootstrap roles and bindings are upstream’s, labelled and auto-updated, and valid', () => {
  const roles = bootstrapClusterRoles();
  const names = roles.map((r) => r.metadata.name);
  for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer']) assert.ok(names.includes(n), n);
  for (const r of roles) {
    assert.equal(r.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults', r.metadata.name);
    assert.equal(r.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'true', r.metadata.name);
    assert.deepEqual(validateClusterRole(r).map((e) => e.message()), [], r.metadata.name);
  }
  const bindings = Object.fromEntries(bootstrapClusterRoleBindings().map((b) => [b.metadata.name, b.subjects.map((s: { name: string }) => s.name)]));
  assert.deepEqual(bindings, {
    'cluster-admin': ['system:masters'],
    'system:discovery': ['system:authenticated'],
    'system:basic-user': ['system:authenticated'],
    'system:public-info-viewer': ['system:authenticated', 'system:unauthenticated'],
  });
  for (const b of bootstrapClusterRoleBindings()) assert.deepEqual(validateBinding(b, false), [], b.metadata.name);
});

test('view reads workloads but never secrets, and writes nothing', () => {
  const a = authorizerFor({ kind: 'User', name: 'jane' }, 'view');
  assert.ok(can(a, 'get', '', 'pods'));
  assert.ok(can(a, 'list', 'apps', 'deployments'));
  assert.ok(can(a, 'get', '', 'pods', 'log'));
  assert.ok(can(a, 'watch', 'autoscaling', 'horizontalpodautoscalers'));
  assert.ok(!can(a, 'get', '', 'secrets'));
  assert.ok(!can(a, 'create', '', 'pods'));
  assert.ok(!can(a, 'get', '', 'pods', 'exec'));
});

test('edit adds writes, secrets and tokens; admin adds RBAC within the namespace', () => {
  const edit = authorizerFor({ kind: 'Group', name: 'devs' }, 'edit');
  const dev: UserInfo = { name: 'sam', groups: ['devs', 'system:authenticated'] };
  assert.ok(can(edit, 'create', '', 'secrets', '', dev));
  assert.ok(can(edit, 'get', '', 'secrets', '', dev));
  assert.ok(can(edit, 'update', 'apps', 'deployments', 'scale', dev));
  assert.ok(can(edit, 'create', '', 'serviceaccounts', 'token', dev));
  assert.ok(can(edit, 'list', '', 'pods', '', dev), 'edit aggregates view');
  assert.ok(!can(edit, 'create', 'rbac.authorization.k8s.io', 'rolebindings', '', dev));
  const admin = authorizerFor({ kind: 'User', name: 'jane' }, 'admin');
  assert.ok(can(admin, 'create', 'rbac.authorization.k8s.io', 'rolebindings'));
  assert.ok(can(admin, 'create', 'authorization.k8s.io', 'localsubjectaccessreviews'));
  assert.ok(can(admin, 'delete', '', 'configmaps'), 'admin aggregates edit');
});

test('a service account starts with discovery and self reviews only', () => {
  const a = authorizerFor({ kind: 'User', name: 'nobody' }, 'view');
  const sa: UserInfo = { name: 'system:serviceaccount:shop:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'] };
  for (const p of ['/api', '/apis/apps/v1', '/version', '/openapi/v3', '/healthz']) assert.ok(canGet(a, p, sa), p);
  assert.ok(!canGet(a, '/metrics', sa));
  assert.ok(can(a, 'create', 'authorization.k8s.io', 'selfsubjectaccessreviews', '', sa));
  assert.ok(can(a, 'create', 'authentication.k8s.io', 'selfsubjectreviews', '', sa));
  for (const r of ['pods', 'secrets', 'configmaps', 'serviceaccounts']) assert.ok(!can(a, 'get', '', r, '', sa), r);
  assert.ok(!can(a, 'create', 'authorization.k8s.io', 'subjectaccessreviews', '', sa));
});
