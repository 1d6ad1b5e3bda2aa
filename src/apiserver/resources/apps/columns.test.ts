// Tests for the apps/v1 table printers: Deployment and ReplicaSet columns and rows by upstream's rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../registry/kobject.ts';
import type { Printer } from '../../registry/table.ts';
import { printer as deployment } from './deployment/columns.ts';
import { printer as replicaset } from './replicaset/columns.ts';

const now = new Date('2025-06-01T12:00:00Z');
const H = 3600 * 1000;

function obj(name: string, fields: Record<string, unknown>, createdMsAgo = 52 * H): KObject {
  return { metadata: { name, creationTimestamp: new Date(now.getTime() - createdMsAgo).toISOString() }, ...fields };
}

const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'proxy', image: 'envoy:v1.34' }] } };

describe('apps column definitions match upstream', () => {
  const cases: [string, Printer, [string, string, number][]][] = [
    [
      'deployment',
      deployment,
      [['Name', 'string', 0], ['Ready', 'string', 0], ['Up-to-date', 'string', 0], ['Available', 'string', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]],
    ],
    [
      'replicaset',
      replicaset,
      [['Name', 'string', 0], ['Desired', 'integer', 0], ['Current', 'integer', 0], ['Ready', 'integer', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]],
    ],
  ];
  for (const [kind, printer, want] of cases) {
    it(kind, () => {
      assert.deepEqual(printer.columns.map((c) => [c.name, c.type, c.priority]), want);
      assert.equal(printer.columns[0].format, 'name');
      assert.ok(printer.columns.slice(1).every((c) => c.format === ''));
    });
  }
});

describe('deployment rows', () => {
  const cases: [string, KObject, unknown[]][] = [
    [
      'rolling out',
      obj('web', { spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }),
      ['web', '2/3', 3, 2, '2d4h', 'web,proxy', 'nginx:1.27,envoy:v1.34', 'app=web'],
    ],
    [
      'no status yet, selector with expressions',
      obj(
        'api',
        { spec: { replicas: 1, selector: { matchLabels: { tier: 'fe' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, template } },
        45 * 1000,
      ),
      ['api', '0/1', 0, 0, '45s', 'web,proxy', 'nginx:1.27,envoy:v1.34', 'env in (dev,prod),tier=fe'],
    ],
    [
      'scaled to zero, empty selector printed bare',
      obj('idle', { spec: { replicas: 0, selector: {}, template: { spec: { containers: [] } } } }),
      ['idle', '0/0', 0, 0, '2d4h', '', '', ''],
    ],
    [
      'invalid selector',
      obj('bad', { spec: { replicas: 2, selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] }, template } }),
      ['bad', '0/2', 0, 0, '2d4h', 'web,proxy', 'nginx:1.27,envoy:v1.34', '<invalid>'],
    ],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => assert.deepEqual(deployment.row(object, now), want));
  }
});

describe('replicaset rows', () => {
  const cases: [string, KObject, unknown[]][] = [
    [
      'partly ready',
      obj('web-5d4f8', { spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8' } }, template }, status: { replicas: 3, readyReplicas: 1 } }),
      ['web-5d4f8', 3, 3, 1, '2d4h', 'web,proxy', 'nginx:1.27,envoy:v1.34', 'app=web,pod-template-hash=5d4f8'],
    ],
    [
      'old revision scaled down, empty selector',
      obj('web-0ld', { spec: { replicas: 0, selector: {}, template }, status: { replicas: 0 } }),
      ['web-0ld', 0, 0, 0, '2d4h', 'web,proxy', 'nginx:1.27,envoy:v1.34', '<none>'],
    ],
    [
      'invalid selector',
      obj('bad', { spec: { replicas: 1, selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, template } }),
      ['bad', 1, 0, 0, '2d4h', 'web,proxy', 'nginx:1.27,envoy:v1.34', '<error>'],
    ],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => assert.deepEqual(replicaset.row(object, now), want));
  }
});
