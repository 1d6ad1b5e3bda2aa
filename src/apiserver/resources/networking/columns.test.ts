// Tests for the networking.k8s.io/v1 printers: Ingress hosts, address and ports, and IngressClass parameters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../registry/kobject.ts';
import { printer as ingress } from './ingress/columns.ts';
import { printer as ingressclass } from './ingressclass/columns.ts';

const now = new Date('2025-06-01T12:00:00Z');

function obj(name: string, fields: Record<string, unknown>): KObject {
  return { metadata: { name, creationTimestamp: '2025-06-01T09:00:00Z' }, ...fields };
}

const rule = (host?: string) => (host === undefined ? { http: { paths: [] } } : { host, http: { paths: [] } });

describe('networking column definitions match upstream', () => {
  it('ingress', () => {
    assert.deepEqual(
      ingress.columns.map((c) => [c.name, c.type, c.priority]),
      [['Name', 'string', 0], ['Class', 'string', 0], ['Hosts', 'string', 0], ['Address', 'string', 0], ['Ports', 'string', 0], ['Age', 'string', 0]],
    );
  });
  it('ingressclass', () => {
    assert.deepEqual(ingressclass.columns.map((c) => [c.name, c.type, c.priority]), [['Name', 'string', 0], ['Controller', 'string', 0], ['Parameters', 'string', 0], ['Age', 'string', 0]]);
  });
});

describe('ingress rows', () => {
  const cases: [string, Record<string, unknown>, unknown[]][] = [
    [
      'class, two hosts, an address',
      { spec: { ingressClassName: 'nginx', rules: [rule('a.example.com'), rule('b.example.com')] }, status: { loadBalancer: { ingress: [{ ip: '192.168.49.2' }] } } },
      ['shop', 'nginx', 'a.example.com,b.example.com', '192.168.49.2', '80', '3h'],
    ],
    ['no class, hostless rule, TLS', { spec: { rules: [rule()], tls: [{ secretName: 'cert' }] } }, ['shop', '<none>', '*', '', '80, 443', '3h']],
    ['default backend only', { spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } }, ['shop', '<none>', '*', '', '80', '3h']],
    ['exactly three hosts', { spec: { rules: [rule('a'), rule('b'), rule('c')] } }, ['shop', '<none>', 'a,b,c', '', '80', '3h']],
    ['more rules than shown count every remaining rule', { spec: { rules: [rule('a'), rule('b'), rule('c'), rule(), rule('e')] } }, ['shop', '<none>', 'a,b,c + 2 more...', '', '80', '3h']],
    ['a leading hostless rule leaves room for three hosts', { spec: { rules: [rule(), rule('a'), rule('b'), rule('c')] } }, ['shop', '<none>', 'a,b,c', '', '80', '3h']],
    [
      'addresses deduplicated and sorted, long ones unclipped',
      { spec: { ingressClassName: 'traefik', rules: [rule('shop.example.com')] }, status: { loadBalancer: { ingress: [{ hostname: 'k8s-shop-0123456789.elb.example.com' }, { ip: '10.0.0.2' }, { ip: '10.0.0.2' }] } } },
      ['shop', 'traefik', 'shop.example.com', '10.0.0.2,k8s-shop-0123456789.elb.example.com', '80', '3h'],
    ],
  ];
  for (const [name, fields, want] of cases) {
    it(name, () => assert.deepEqual(ingress.row(obj('shop', fields), now), want));
  }
});

describe('ingressclass rows', () => {
  const cases: [string, Record<string, unknown>, unknown[]][] = [
    ['no parameters', { spec: { controller: 'k8s.io/ingress-nginx' } }, ['nginx', 'k8s.io/ingress-nginx', '<none>', '3h']],
    [
      'parameters in an API group',
      { spec: { controller: 'example.com/ingress', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb', scope: 'Cluster' } } },
      ['nginx', 'example.com/ingress', 'IngressParameters.k8s.example.com/external-lb', '3h'],
    ],
    ['parameters in the core group', { spec: { controller: 'example.com/ingress', parameters: { kind: 'ConfigMap', name: 'cfg', namespace: 'ingress', scope: 'Namespace' } } }, ['nginx', 'example.com/ingress', 'ConfigMap/cfg', '3h']],
  ];
  for (const [name, fields, want] of cases) {
    it(name, () => assert.deepEqual(ingressclass.row(obj('nginx', fields), now), want));
  }
});
