import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breakdownRule, covers } from './covers.ts';
import type { PolicyRule } from './policy-rule.ts';

test('a rule breaks down into one group, resource, verb and name each', () => {
  assert.deepEqual(breakdownRule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }), [
    { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list'], resourceNames: ['a'] },
  ]);
  assert.deepEqual(breakdownRule({ verbs: ['get'], nonResourceURLs: ['/a', '/b'] }), [
    { nonResourceURLs: ['/a'], verbs: ['get'] },
    { nonResourceURLs: ['/b'], verbs: ['get'] },
  ]);
});

test('covers reports exactly what the owner lacks', () => {
  const cases: [string, PolicyRule[], PolicyRule[], PolicyRule[]][] = [
    ['wildcards cover everything', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['get', 'delete'], apiGroups: ['apps'], resources: ['deployments/scale'] }], []],
    [
      'a missing verb',
      [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }],
      [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }],
    ],
    ['*/subresource covers any resource of it', [{ verbs: ['get'], apiGroups: ['apps'], resources: ['*/scale'] }], [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] }], []],
    [
      'names restrict the owner',
      [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }],
      [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }],
      [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    ],
    ['an unrestricted owner covers named rules', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['x'] }], []],
    ['URL prefixes', [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/apis/apps', '/api'] }], [{ nonResourceURLs: ['/api'], verbs: ['get'] }]],
  ];
  for (const [name, owner, servant, want] of cases) {
    const r = covers(owner, servant);
    assert.deepEqual(r.uncovered, want, name);
    assert.equal(r.covered, want.length === 0, name);
  }
});
