import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestAttributes } from '../auth/authorizer.ts';
import { ruleAllows, type PolicyRule } from './policy-rule.ts';

const user = { name: 'jane', groups: ['system:authenticated'] };
const res = (verb: string, apiGroup: string, resource: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({
  user,
  verb,
  resourceRequest: true,
  path: '',
  apiGroup,
  apiVersion: 'v1',
  resource,
  subresource: '',
  namespace: 'default',
  name: '',
  ...extra,
});
const path = (verb: string, p: string): RequestAttributes => ({ ...res(verb, '', ''), resourceRequest: false, path: p });

test('rules match verbs, groups, resources, subresources, names and URLs as upstream RuleAllows', () => {
  const cases: [string, PolicyRule, RequestAttributes, boolean][] = [
    ['exact match', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', '', 'pods'), true],
    ['other verb', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('list', '', 'pods'), false],
    ['verb wildcard', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, res('delete', '', 'pods'), true],
    ['group wildcard', { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }, res('get', 'apps', 'deployments'), true],
    ['other group', { verbs: ['get'], apiGroups: [''], resources: ['deployments'] }, res('get', 'apps', 'deployments'), false],
    ['resource wildcard covers subresources', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, res('get', '', 'pods', { subresource: 'log' }), true],
    ['resource does not cover its subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', '', 'pods', { subresource: 'log' }), false],
    ['subresource named', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', '', 'pods', { subresource: 'log' }), true],
    ['subresource rule does not grant the resource', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', '', 'pods'), false],
    ['*/subresource', { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, res('update', 'apps', 'deployments', { subresource: 'scale' }), true],
    ['*/subresource needs that subresource', { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, res('update', 'apps', 'deployments', { subresource: 'status' }), false],
    ['resource name listed', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a', 'b'] }, res('get', '', 'configmaps', { name: 'b' }), true],
    ['resource name not listed', { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('get', '', 'configmaps', { name: 'c' }), false],
    ['resource names never allow a list', { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }, res('list', '', 'configmaps'), false],
    ['URL exact', { verbs: ['get'], nonResourceURLs: ['/version'] }, path('get', '/version'), true],
    ['URL exact is exact', { verbs: ['get'], nonResourceURLs: ['/version'] }, path('get', '/version/'), false],
    ['URL prefix with *', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path('get', '/apis/apps/v1'), true],
    ['URL prefix does not match the bare path', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path('get', '/apis'), false],
    ['URL wildcard', { verbs: ['*'], nonResourceURLs: ['*'] }, path('post', '/anything'), true],
    ['URL rules never grant resources', { verbs: ['*'], nonResourceURLs: ['*'] }, res('get', '', 'pods'), false],
    ['resource rules never grant URLs', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, path('get', '/healthz'), false],
  ];
  for (const [name, rule, attrs, want] of cases) assert.equal(ruleAllows(attrs, rule), want, name);
});
