import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { parseRequestPath, type ResourceRequest } from '../http/request-info.ts';
import { resourceAttributes } from './request-attributes.ts';

const user = { name: 'jane', groups: [] };
const attrs = (method: string, path: string) => {
  const url = new URL(path, 'https://dabba');
  return resourceAttributes({ method } as IncomingMessage, url, parseRequestPath(url.pathname) as ResourceRequest, user);
};

test('verbs and names as upstream RequestInfoFactory derives them', () => {
  const cases: [string, string, string, string][] = [
    ['GET', '/api/v1/namespaces/shop/pods/web', 'get', 'web'],
    ['GET', '/api/v1/namespaces/shop/pods', 'list', ''],
    ['GET', '/api/v1/namespaces/shop/pods?watch=true', 'watch', ''],
    ['GET', '/api/v1/namespaces/shop/pods?fieldSelector=metadata.name%3Dweb', 'list', 'web'],
    ['GET', '/api/v1/namespaces/shop/pods?watch=1&fieldSelector=metadata.name%3Dweb', 'watch', 'web'],
    ['GET', '/api/v1/namespaces/shop/pods?fieldSelector=metadata.name%21%3Dweb', 'list', ''],
    ['GET', '/api/v1/namespaces/shop/pods?fieldSelector=metadata.name%3Da%2Fb', 'list', ''],
    ['DELETE', '/api/v1/namespaces/shop/pods?fieldSelector=metadata.name%3Dweb', 'deletecollection', ''],
  ];
  for (const [method, path, verb, name] of cases) {
    const a = attrs(method, path);
    assert.deepEqual([a.verb, a.name], [verb, name], `${method} ${path}`);
  }
});
