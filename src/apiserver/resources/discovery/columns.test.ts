// Tests for the discovery.k8s.io/v1 EndpointSlice printer: address type, ports and endpoints with the `+ N more...` rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { printer as endpointslice } from './endpointslice/columns.ts';

const now = new Date('2025-06-01T12:00:00Z');

describe('endpointslice columns match upstream', () => {
  it('names, types and priorities', () => {
    assert.deepEqual(
      endpointslice.columns.map((c) => [c.name, c.type, c.priority]),
      [['Name', 'string', 0], ['AddressType', 'string', 0], ['Ports', 'string', 0], ['Endpoints', 'string', 0], ['Age', 'string', 0]],
    );
  });
});

describe('endpointslice rows', () => {
  const cases: [string, Record<string, unknown>, unknown[]][] = [
    [
      'ports by number, by name, or all',
      { addressType: 'IPv4', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics' }, {}], endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }] },
      ['web-abc12', 'IPv4', '80,metrics,*', '10.0.0.1,10.0.0.2', '2d2h'],
    ],
    [
      'more than three of each',
      {
        addressType: 'IPv6',
        ports: [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }],
        endpoints: [{ addresses: ['fd00::1', 'fd00::2'] }, { addresses: ['fd00::3'] }, { addresses: ['fd00::4'] }, { addresses: ['fd00::5'] }],
      },
      ['web-abc12', 'IPv6', '1,2,3 + 1 more...', 'fd00::1,fd00::2,fd00::3 + 2 more...', '2d2h'],
    ],
    ['empty', { addressType: 'IPv4', endpoints: [] }, ['web-abc12', 'IPv4', '<unset>', '<unset>', '2d2h']],
  ];
  for (const [name, fields, want] of cases) {
    it(name, () => assert.deepEqual(endpointslice.row({ metadata: { name: 'web-abc12', creationTimestamp: '2025-05-30T10:00:00Z' }, ...fields }, now), want));
  }
});
