// Printer columns of custom resources and the JSONPath templates they use, as kubectl and client-go evaluate them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JsonPath, JsonPathError } from './jsonpath.ts';
import { customResourcePrinter } from './printer.ts';
import type { KObject } from '../registry/kobject.ts';

const data = {
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'shop' }, creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { replicas: 3, ratio: 0.5, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }], on: true, nested: { a: 1 } },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] },
};

const first = (template: string) => JsonPath.parse(template).findResults(data)[0];

describe('JsonPath', () => {
  const cases: [string, unknown[]][] = [
    ['{.spec.replicas}', [3]],
    ['{.spec.ports[1].port}', [443]],
    ['{.spec.ports[-1].name}', ['https']],
    ['{.spec.ports[*].name}', ['http', 'https']],
    ['{.spec.ports[0:1].name}', ['http']],
    ["{.metadata.labels['app.kubernetes.io/name']}", ['shop']],
    ['{.metadata.labels.app\\.kubernetes\\.io/name}', ['shop']],
    ['{.status.conditions[?(@.type=="Ready")].status}', ['True']],
    ['{.status.conditions[?(@.type!="Ready")].type}', ['Synced']],
    ['{.spec.ports[?(@.port>100)].name}', ['https']],
    ['{.spec.missing}', []],
    ['{..port}', [80, 443]],
  ];
  for (const [template, want] of cases) it(template, () => assert.deepEqual(first(template), want));

  it('prints scalars plainly and objects as JSON', () => {
    assert.equal(JsonPath.print([3, 'a', true, 0.5, { a: 1 }, [1, 2], null]), '3 a true 0.5 {"a":1} [1,2] null');
  });

  it('rejects malformed templates', () => {
    assert.throws(() => JsonPath.parse('{.spec.ports[x]}'), JsonPathError);
    assert.throws(() => JsonPath.parse('{.spec'), JsonPathError);
  });
});

describe('customResourcePrinter', () => {
  const obj = data as unknown as KObject;
  const now = new Date('2024-01-01T00:05:00Z');

  it('serves Name and Age when a version declares no columns', () => {
    const p = customResourcePrinter(undefined);
    assert.deepEqual(
      p.columns.map((c) => [c.name, c.type, c.format]),
      [
        ['Name', 'string', 'name'],
        ['Age', 'date', ''],
      ],
    );
    assert.deepEqual(p.row(obj, now), ['web', '5m']);
  });

  it('renders each column type as upstream cellForJSONValue', () => {
    const p = customResourcePrinter([
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Ratio', type: 'integer', jsonPath: '.spec.ratio' },
      { name: 'Ports', type: 'string', jsonPath: '.spec.ports[*].port' },
      { name: 'Nested', type: 'string', jsonPath: '.spec.nested' },
      { name: 'On', type: 'boolean', jsonPath: '.spec.on' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', priority: 1 },
      { name: 'Wrong', type: 'number', jsonPath: '.metadata.name' },
      { name: 'Missing', type: 'string', jsonPath: '.spec.nope' },
      { name: 'Created', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
    assert.deepEqual(p.row(obj, now), ['web', 3, 0, '80', '{"a":1}', true, 'True', null, null, '5m']);
    assert.equal(p.columns[6].priority, 1);
    assert.equal(p.columns[1].description, 'Custom resource definition column (in JSONPath format): .spec.replicas');
  });
});
