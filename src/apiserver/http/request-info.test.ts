// Request paths map to group, version, namespace, resource, name and subresource as upstream's RequestInfoFactory.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestPath } from './request-info.ts';

const cases: [string, object][] = [
  ['/api/v1/pods', { group: '', version: 'v1', resource: 'pods' }],
  ['/api/v1/namespaces', { group: '', version: 'v1', resource: 'namespaces' }],
  ['/api/v1/namespaces/zz', { group: '', version: 'v1', resource: 'namespaces', name: 'zz' }],
  ['/api/v1/namespaces/zz/finalize', { group: '', version: 'v1', resource: 'namespaces', name: 'zz', subresource: 'finalize' }],
  ['/api/v1/namespaces/zz/status', { group: '', version: 'v1', resource: 'namespaces', name: 'zz', subresource: 'status' }],
  ['/api/v1/namespaces/zz/pods', { group: '', version: 'v1', namespace: 'zz', resource: 'pods' }],
  ['/api/v1/namespaces/zz/pods/p/log', { group: '', version: 'v1', namespace: 'zz', resource: 'pods', name: 'p', subresource: 'log' }],
  ['/apis/apps/v1/namespaces/d/deployments/web/scale', { group: 'apps', version: 'v1', namespace: 'd', resource: 'deployments', name: 'web', subresource: 'scale' }],
  ['/apis/apps/v1/deployments', { group: 'apps', version: 'v1', resource: 'deployments' }],
];

for (const [path, want] of cases) {
  it(path, () => {
    const { type: _t, ...got } = parseRequestPath(path) as unknown as Record<string, unknown>;
    assert.deepEqual(got, want);
  });
}

it('non-resource paths', () => {
  assert.equal(parseRequestPath('/version').type, 'path');
  assert.equal(parseRequestPath('/apis/apps').type, 'path');
});
