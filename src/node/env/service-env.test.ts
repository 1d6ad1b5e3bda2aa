import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromServices, serviceEnvMap } from './service-env.ts';
import type { Service } from '../pod-worker-types.ts';

const svc = (namespace: string, name: string, clusterIP: string, ports: { name?: string; port: number; protocol?: string }[]): Service => ({
  metadata: { namespace, name },
  spec: { clusterIP, ports },
});

test('fromServices writes the host, port, named port and link variables', () => {
  const env = new Map(fromServices([svc('ns', 'redis-primary', '10.0.0.11', [{ port: 6379 }, { name: 'metrics', port: 8080, protocol: 'TCP' }])]));
  assert.deepEqual(Object.fromEntries(env), {
    REDIS_PRIMARY_SERVICE_HOST: '10.0.0.11',
    REDIS_PRIMARY_SERVICE_PORT: '6379',
    REDIS_PRIMARY_SERVICE_PORT_METRICS: '8080',
    REDIS_PRIMARY_PORT: 'tcp://10.0.0.11:6379',
    REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.0.0.11:6379',
    REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
    REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
    REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.0.0.11',
    REDIS_PRIMARY_PORT_8080_TCP: 'tcp://10.0.0.11:8080',
    REDIS_PRIMARY_PORT_8080_TCP_PROTO: 'tcp',
    REDIS_PRIMARY_PORT_8080_TCP_PORT: '8080',
    REDIS_PRIMARY_PORT_8080_TCP_ADDR: '10.0.0.11',
  });
});

test('IPv6 cluster IPs are bracketed in URLs; UDP is lower-cased in values', () => {
  const env = new Map(fromServices([svc('ns', 'dns', 'fd00::a', [{ name: 'dns', port: 53, protocol: 'UDP' }])]));
  assert.equal(env.get('DNS_PORT'), 'udp://[fd00::a]:53');
  assert.equal(env.get('DNS_PORT_53_UDP_PROTO'), 'udp');
  assert.equal(env.get('DNS_PORT_53_UDP_ADDR'), 'fd00::a');
});

test('serviceEnvMap: kubernetes always, same-namespace services only with links, headless and ExternalName never', () => {
  const all = [
    svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443 }]),
    svc('shop', 'payment-service', '10.96.3.4', [{ port: 80 }]),
    svc('shop', 'headless', 'None', [{ port: 80 }]),
    { metadata: { namespace: 'shop', name: 'ext' }, spec: { type: 'ExternalName', ports: [{ port: 80 }] } },
    svc('other', 'elsewhere', '10.96.9.9', [{ port: 80 }]),
  ];
  const on = serviceEnvMap(all, 'shop', true);
  assert.equal(on.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
  assert.equal(on.get('KUBERNETES_SERVICE_PORT'), '443');
  assert.equal(on.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
  assert.equal(on.get('PAYMENT_SERVICE_SERVICE_HOST'), '10.96.3.4');
  assert.equal(on.has('HEADLESS_SERVICE_HOST'), false);
  assert.equal(on.has('EXT_SERVICE_HOST'), false);
  assert.equal(on.has('ELSEWHERE_SERVICE_HOST'), false);
  const off = serviceEnvMap(all, 'shop', false);
  assert.equal(off.get('KUBERNETES_SERVICE_HOST'), '10.96.0.1');
  assert.equal(off.has('PAYMENT_SERVICE_SERVICE_HOST'), false);
});
