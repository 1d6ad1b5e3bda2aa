// Table tests for Endpoints defaulting, validation and address warnings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const ep = (subsets: unknown[], labels?: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default', labels }, subsets });

function messages(obj: KObject): string[] {
  const e = structuredClone(obj);
  strategy.defaults!(e);
  return strategy.validate!(e).map((x) => x.message());
}

describe('Endpoints validation', () => {
  const cases: [string, unknown[], string[]][] = [
    ['a ready address and a port', [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 8080 }] }], []],
    ['a headless subset without ports', [{ notReadyAddresses: [{ ip: '10.244.0.6', hostname: 'db-0' }] }], []],
    ['a subset without addresses', [{ ports: [{ port: 80 }] }], ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']],
    [
      'a loopback address',
      [{ addresses: [{ ip: '127.0.0.1' }] }],
      ['subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ],
    [
      'an address that is not an IP',
      [{ addresses: [{ ip: 'pod-a' }] }],
      [
        'subsets[0].addresses[0].ip: Invalid value: "pod-a": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'subsets[0].addresses[0].ip: Invalid value: "pod-a": must be a valid IP address',
      ],
    ],
    [
      'two unnamed ports',
      [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }, { port: 443 }] }],
      ['subsets[0].ports[0].name: Required value', 'subsets[0].ports[1].name: Required value'],
    ],
    [
      'an unsupported protocol',
      [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80, protocol: 'ICMP' }] }],
      ['subsets[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    ],
  ];
  for (const [name, subsets, want] of cases) it(name, () => assert.deepEqual(messages(ep(subsets)), want));

  it('defaults port protocols to TCP', () => {
    const e = ep([{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }] }]);
    strategy.defaults!(e);
    assert.equal(e.subsets[0].ports[0].protocol, 'TCP');
  });

  it('warns about non-standard addresses, except on controller-written objects', () => {
    const subsets = [{ addresses: [{ ip: '10.244.000.5' }] }];
    assert.deepEqual(strategy.warnings!(ep(subsets)), [
      'subsets[0].addresses[0].ip: non-standard IP address "10.244.000.5" will be considered invalid in a future Kubernetes release: use "10.244.0.5"',
    ]);
    assert.deepEqual(strategy.warnings!(ep(subsets, { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' })), []);
  });
});
