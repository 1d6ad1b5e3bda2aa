import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../registry/kobject.ts';
import type { ResourceDefinition } from '../registry/resource.ts';
import { StatusError } from '../../machinery/status-error.ts';
import { compactRules, compactString, escalationAdmission } from './escalation.ts';
import { RbacAuthorizer } from './rbac-authorizer.ts';
import { RuleResolver } from './rule-resolver.ts';
import { StaticRbacObjects } from './testing/static-rbac-objects.ts';

const g = 'rbac.authorization.k8s.io';

test('missing rights are compacted and printed as upstream CompactString', () => {
  const missing = compactRules([
    { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ]);
  assert.deepEqual(missing.map(compactString), ['{NonResourceURLs:["/metrics"], Verbs:["get"]}', '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}']);
  assert.equal(compactString({ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get'] }), '{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["get"]}');
});

const objects = new StaticRbacObjects([
  { kind: 'ClusterRole', metadata: { name: 'pod-reader' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] },
  { kind: 'ClusterRole', metadata: { name: 'rbac-writer' }, rules: [{ verbs: ['create', 'update'], apiGroups: [g], resources: ['roles', 'rolebindings', 'clusterroles'] }] },
  { kind: 'ClusterRole', metadata: { name: 'binder' }, rules: [{ verbs: ['bind'], apiGroups: [g], resources: ['clusterroles'], resourceNames: ['pod-reader'] }] },
  {
    kind: 'RoleBinding',
    metadata: { name: 'jane', namespace: 'shop' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'rbac-writer' },
    subjects: [{ apiGroup: g, kind: 'User', name: 'jane' }],
  },
]);
const resolver = new RuleResolver(objects);
const admission = escalationAdmission(new RbacAuthorizer(resolver), resolver);
const def = (resource: string) => ({ group: g, resource }) as ResourceDefinition;
const jane = { user: { name: 'jane', groups: ['system:authenticated'] }, dryRun: false, warnings: [] };

function refused(fn: () => void): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a refusal');
}

test('a role granting more than its author holds is forbidden with upstream text', () => {
  const role: KObject = { metadata: { name: 'r', namespace: 'shop' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'] }] };
  const err = refused(() => admission.admit('create', def('roles'), role, undefined, jane));
  assert.equal(err.code, 403);
  assert.equal(
    err.message,
    'roles.rbac.authorization.k8s.io "r" is forbidden: user "jane" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}',
  );
  const masters = { ...jane, user: { name: 'root', groups: ['system:masters'] } };
  admission.admit('create', def('roles'), role, undefined, masters);
});

test('binding a role needs its rights, or the bind verb on it; an unknown role is not found', () => {
  const binding = (name: string): KObject => ({ metadata: { name: 'b', namespace: 'shop' }, roleRef: { apiGroup: g, kind: 'ClusterRole', name }, subjects: [] });
  assert.equal(refused(() => admission.admit('create', def('rolebindings'), binding('pod-reader'), undefined, jane)).code, 403);
  assert.equal(refused(() => admission.admit('create', def('rolebindings'), binding('nope'), undefined, jane)).message, 'clusterrole.rbac.authorization.k8s.io "nope" not found');
  const withBind = new StaticRbacObjects([
    ...objects.items,
    { kind: 'RoleBinding', metadata: { name: 'bind', namespace: 'shop' }, roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'binder' }, subjects: [{ apiGroup: g, kind: 'User', name: 'jane' }] },
  ]);
  const r = new RuleResolver(withBind);
  escalationAdmission(new RbacAuthorizer(r), r).admit('create', def('rolebindings'), binding('pod-reader'), undefined, jane);
});
