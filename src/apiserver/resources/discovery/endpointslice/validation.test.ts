// Table tests for EndpointSlice defaulting, validation and generation tracking.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

const slice = (fields: Record<string, unknown>): KObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  ...fields,
});

function created(input: KObject): KObject {
  const s = structuredClone(input);
  strategy.defaults!(s);
  strategy.prepareForCreate!(s);
  return s;
}

const messages = (s: KObject) => strategy.validate!(created(s)).map((e) => e.message());

describe('EndpointSlice validation', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      'a ready pod endpoint',
      {
        endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true }, nodeName: 'dabba', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      [],
    ],
    ['an FQDN endpoint', { addressType: 'FQDN', endpoints: [{ addresses: ['api.razorpay.com'] }] }, []],
    ['a placeholder slice', { endpoints: [], ports: [] }, []],
    ['no address type', { addressType: undefined }, ['addressType: Required value']],
    ['an unknown address type', { addressType: 'IP' }, ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']],
    ['an endpoint without addresses', { endpoints: [{ addresses: [] }] }, ['endpoints[0].addresses: Required value: must contain at least 1 address']],
    ['an IPv6 address in an IPv4 slice', { endpoints: [{ addresses: ['fd00::5'] }] }, ['endpoints[0].addresses[0]: Invalid value: "fd00::5": must be a valid IPv4 address']],
    [
      'a link-local address',
      { endpoints: [{ addresses: ['169.254.169.254'] }] },
      ['endpoints[0].addresses[0]: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
    ],
    [
      'an FQDN with one label',
      { addressType: 'FQDN', endpoints: [{ addresses: ['localhost'] }] },
      ['endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots'],
    ],
    ['duplicate port names', { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }, ['ports[1].name: Duplicate value: "http"']],
    ['two unnamed ports', { ports: [{ port: 80 }, { port: 81 }] }, ['ports[1].name: Duplicate value: ""']],
    [
      'too many addresses on one endpoint',
      { endpoints: [{ addresses: Array.from({ length: 101 }, (_, i) => `10.0.${i >> 8}.${(i & 255) + 1}`) }] },
      ['endpoints[0].addresses: Too many: 101: must have at most 100 items'],
    ],
  ];
  for (const [name, fields, want] of cases) it(name, () => assert.deepEqual(messages(slice(fields)), want));

  it('defaults port name and protocol', () => {
    assert.deepEqual(created(slice({ ports: [{ port: 80 }] })).ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  });

  it('drops deprecatedTopology on create, as v1 requests do', () => {
    const s = created(slice({ endpoints: [{ addresses: ['10.244.0.5'], deprecatedTopology: { 'kubernetes.io/hostname': 'dabba' } }] }));
    assert.equal(s.endpoints[0].deprecatedTopology, undefined);
    assert.equal(s.metadata.generation, 1);
  });

  it('keeps addressType immutable and counts generations', () => {
    const old = created(slice({ endpoints: [{ addresses: ['10.244.0.5'] }] }));
    const same = structuredClone(old);
    strategy.prepareForUpdate!(same, old);
    assert.equal(same.metadata.generation, 1);

    const next = structuredClone(old);
    next.addressType = 'IPv6';
    next.endpoints = [{ addresses: ['fd00::5'] }];
    strategy.prepareForUpdate!(next, old);
    assert.equal(next.metadata.generation, 2);
    assert.deepEqual(strategy.validateUpdate!(next, old).map((e) => e.message()), ['addressType: Invalid value: "IPv6": field is immutable']);
  });
});
