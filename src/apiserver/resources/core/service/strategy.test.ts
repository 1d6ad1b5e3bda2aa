// Table tests for the Service warnings upstream returns alongside a successful write.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

function warnings(spec: Record<string, unknown>, annotations?: Record<string, string>): string[] {
  const svc: KObject = { metadata: { name: 'web', annotations }, spec: structuredClone(spec) };
  strategy.defaults!(svc);
  strategy.prepareForCreate!(svc);
  return strategy.warnings!(svc);
}

describe('Service warnings', () => {
  const cases: [string, Record<string, unknown>, Record<string, string> | undefined, string[]][] = [
    ['none for a plain Service', { ports: [{ port: 80 }] }, undefined, []],
    [
      'deprecated topology annotation',
      { ports: [{ port: 80 }] },
      { 'service.kubernetes.io/topology-aware-hints': 'Auto' },
      ['annotation service.kubernetes.io/topology-aware-hints is deprecated, please use service.kubernetes.io/topology-mode instead'],
    ],
    [
      'cluster IP with leading zeros',
      { ports: [{ port: 80 }], clusterIP: '10.096.0.10' },
      undefined,
      ['spec.clusterIPs[0]: non-standard IP address "10.096.0.10" will be considered invalid in a future Kubernetes release: use "10.96.0.10"'],
    ],
    [
      'headless Service fields that do nothing',
      { clusterIP: 'None', sessionAffinity: 'ClientIP', externalIPs: ['192.0.2.10'], loadBalancerIP: '192.0.2.11' },
      undefined,
      [
        'spec.loadBalancerIP is ignored for headless services',
        'spec.externalIPs is ignored for headless services',
        'spec.SessionAffinity is ignored for headless services',
      ],
    ],
    [
      'externalName on a ClusterIP Service',
      { ports: [{ port: 80 }], externalName: 'example.com' },
      undefined,
      ['spec.externalName is ignored when spec.type is not "ExternalName"'],
    ],
    [
      'externalIPs on an ExternalName Service',
      { type: 'ExternalName', externalName: 'example.com', externalIPs: ['192.0.2.10'] },
      undefined,
      ['spec.externalIPs is ignored when spec.type is "ExternalName"'],
    ],
    [
      'non-canonical IPv6 external IP',
      { ports: [{ port: 80 }], externalIPs: ['2001:db8:0:0::1'] },
      undefined,
      ['spec.externalIPs[0]: IPv6 address "2001:db8:0:0::1" should be in RFC 5952 canonical format ("2001:db8::1")'],
    ],
  ];
  for (const [name, spec, annotations, want] of cases) {
    it(name, () => assert.deepEqual(warnings(spec, annotations), want));
  }

  it('offers spec.clusterIP and spec.type as field selectors', () => {
    assert.deepEqual(strategy.selectableFields!({ metadata: { name: 'x' }, spec: { type: 'NodePort', clusterIP: '10.96.0.5' } }), {
      'spec.clusterIP': '10.96.0.5',
      'spec.type': 'NodePort',
    });
  });
});
