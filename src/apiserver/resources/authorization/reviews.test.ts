import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestAttributes } from '../../auth/authorizer.ts';
import type { KObject } from '../../registry/kobject.ts';
import type { RequestContext } from '../../registry/request-context.ts';
import { StatusError } from '../../../machinery/status-error.ts';
import type { AccessReviewer } from './access-review.ts';
import { authorizationResources } from './index.ts';

const asked: RequestAttributes[] = [];
const reviewer: AccessReviewer = {
  async authorize(a) {
    asked.push(a);
    return a.verb === 'get' ? { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "view" to User "jane"' } : { allowed: false, reason: '' };
  },
  rulesFor: () => ({
    resourceRules: [{ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], resourceNames: [] }],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api'] }],
    incomplete: false,
  }),
};
const defs = Object.fromEntries(authorizationResources(reviewer).map((d) => [d.kind, d]));
const ctx: RequestContext = { user: { name: 'jane', groups: ['devs', 'system:authenticated'] }, dryRun: false, warnings: [] };
const create = (kind: string, obj: KObject, namespace?: string) => defs[kind].virtual!.create(obj, ctx, namespace);

test('the reviews are create-only kinds of authorization.k8s.io/v1', () => {
  assert.deepEqual(Object.keys(defs).sort(), ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview']);
  for (const d of Object.values(defs)) assert.deepEqual(d.verbs, ['create']);
  assert.equal(defs.LocalSubjectAccessReview.namespaced, true);
});

test('a self review asks about the requesting user; a subject review about the subject as given', async () => {
  asked.length = 0;
  const self = await create('SelfSubjectAccessReview', { metadata: {}, spec: { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'shop' } } });
  assert.deepEqual(self.status, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "view" to User "jane"' });
  assert.deepEqual(asked[0].user, ctx.user);
  assert.equal(asked[0].apiVersion, '*');
  const sar = await create('SubjectAccessReview', { metadata: {}, spec: { user: 'bob', nonResourceAttributes: { path: '/api', verb: 'post' } } });
  assert.deepEqual(sar.status, { allowed: false });
  assert.deepEqual(asked[1].user, { name: 'bob', groups: [] });
  assert.equal(asked[1].resourceRequest, false);
});

test('review specs are validated with upstream messages', async () => {
  const invalid = async (kind: string, obj: KObject, namespace?: string) => {
    try {
      await create(kind, obj, namespace);
    } catch (e) {
      if (e instanceof StatusError) return e.message;
      throw e;
    }
    assert.fail('expected invalid');
  };
  assert.equal(
    await invalid('SelfSubjectAccessReview', { metadata: {}, spec: {} }),
    'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
  );
  assert.equal(
    await invalid('SubjectAccessReview', { metadata: {}, spec: { resourceAttributes: { verb: 'get' } } }),
    'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified',
  );
  assert.equal(
    await invalid('LocalSubjectAccessReview', { metadata: { namespace: 'shop' }, spec: { user: 'bob', resourceAttributes: { verb: 'get', namespace: 'other' } } }, 'shop'),
    'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace',
  );
});

test('a rules review needs a namespace and lists the rules without empty fields', async () => {
  await assert.rejects(create('SelfSubjectRulesReview', { metadata: {}, spec: {} }), { message: 'no namespace on request' });
  const r = await create('SelfSubjectRulesReview', { metadata: {}, spec: { namespace: 'shop' } });
  assert.deepEqual(r.status, {
    resourceRules: [{ verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'] }],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api'] }],
    incomplete: false,
  });
});
