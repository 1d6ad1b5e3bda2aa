// Tests for Service address allocation: upstream's error texts, static/dynamic bands, commit/rollback and release.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { StatusError } from '../../../../machinery/status-error.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { ServiceAllocator } from './allocator.ts';
import { strategy } from './strategy.ts';

const seed = (file: string): KObject => parse(readFileSync(new URL(`../../../../../examples/seed/${file}`, import.meta.url), 'utf8'));

/** A Service as the store hands it to the allocator on create: defaulted, prepared and validated. */
function svc(name: string, spec: Record<string, unknown>): KObject {
  const s: KObject = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: structuredClone(spec) };
  strategy.defaults!(s);
  strategy.prepareForCreate!(s);
  assert.deepEqual(strategy.validate!(s), []);
  return s;
}

function updated(input: KObject, old: KObject): KObject {
  const s = structuredClone(input);
  strategy.defaults!(s);
  strategy.prepareForUpdate!(s, old);
  assert.deepEqual(strategy.validateUpdate!(s, old), []);
  return s;
}

/** The message kubectl prints after `The ` / `Error from server (Invalid): `. */
function failure(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, String(e));
    return { code: e.code, message: e.message };
  }
  assert.fail('expected a StatusError');
}

const lowest = () => 0;
const highest = () => 0.999999999;
const nodePort = (port: number, extra: Record<string, unknown> = {}) => ({ type: 'NodePort', selector: { app: 'api' }, ports: [{ port: 8080, nodePort: port }], ...extra });

describe('ServiceAllocator cluster IPs', () => {
  it('hands out dynamic addresses from the upper band first, as KEP-3070 says', () => {
    const low = new ServiceAllocator({ random: lowest });
    const a = svc('a', { ports: [{ port: 80 }] });
    low.allocate(a).commit();
    assert.equal(a.spec.clusterIP, '10.96.1.1');
    assert.deepEqual(a.spec.clusterIPs, ['10.96.1.1']);
    assert.deepEqual(a.spec.ipFamilies, ['IPv4']);
    assert.equal(a.spec.ipFamilyPolicy, 'SingleStack');

    const high = new ServiceAllocator({ random: highest });
    const b = svc('b', { ports: [{ port: 80 }] });
    high.allocate(b).commit();
    assert.equal(b.spec.clusterIP, '10.96.255.254');
  });

  it('falls back to the static band when the upper band is full', () => {
    const small = new ServiceAllocator({ serviceCIDR: '10.0.0.0/28', random: lowest });
    // A /28 has 14 usable addresses and no static band.
    const got = Array.from({ length: 14 }, (_, i) => {
      const s = svc(`s${i}`, { ports: [{ port: 80 }] });
      small.allocate(s).commit();
      return s.spec.clusterIP;
    });
    assert.equal(new Set(got).size, 14);
    const full = failure(() => small.allocate(svc('full', { ports: [{ port: 80 }] })));
    assert.deepEqual(full, { code: 500, message: 'Internal error occurred: failed to allocate a serviceIP: range is full' });
  });

  it('gives the explicitly requested DNS and API addresses', () => {
    const alloc = new ServiceAllocator();
    const dns = svc('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }] });
    const api = svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] });
    alloc.allocate(dns).commit();
    alloc.allocate(api).commit();
    assert.deepEqual(dns.spec.clusterIPs, ['10.96.0.10']);
    assert.deepEqual(api.spec.clusterIPs, ['10.96.0.1']);
  });

  const requests: [string, string, string][] = [
    [
      'an address already taken',
      '10.96.0.10',
      'Service "second" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    ],
    [
      'an address outside the service CIDR',
      '10.97.0.5',
      'Service "second" is invalid: spec.clusterIPs: Invalid value: []string{"10.97.0.5"}: failed to allocate IP 10.97.0.5: the provided network does not match the current range',
    ],
    [
      'the broadcast address',
      '10.96.255.255',
      'Service "second" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.255.255"}: failed to allocate IP 10.96.255.255: the provided IP (10.96.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    ],
    [
      'an IPv6 address on an IPv4 cluster',
      'fd00::10',
      'Service "second" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster',
    ],
  ];
  for (const [name, ip, want] of requests) {
    it(`rejects ${name}`, () => {
      const alloc = new ServiceAllocator();
      alloc.allocate(svc('first', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })).commit();
      const second = svc('second', { clusterIP: ip, ports: [{ port: 80 }] });
      assert.deepEqual(failure(() => alloc.allocate(second)), { code: 422, message: want });
    });
  }

  it('rejects a RequireDualStack Service on a single-stack cluster', () => {
    const alloc = new ServiceAllocator();
    const s = svc('dual', { ports: [{ port: 80 }], ipFamilyPolicy: 'RequireDualStack' });
    assert.deepEqual(failure(() => alloc.allocate(s)), {
      code: 422,
      message: 'Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    });
  });

  it('leaves ExternalName and headless Services without an address', () => {
    const alloc = new ServiceAllocator();
    const ext = svc('razorpay', seed('04-service-externalname-razorpay.yaml').spec);
    alloc.allocate(ext).commit();
    assert.equal(ext.spec.clusterIP, undefined);
    assert.equal(ext.spec.ipFamilies, undefined);

    const headless = svc('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] });
    alloc.allocate(headless).commit();
    assert.deepEqual(headless.spec.clusterIPs, ['None']);
    assert.deepEqual(headless.spec.ipFamilies, ['IPv4']);
    assert.equal(headless.spec.ipFamilyPolicy, 'SingleStack');

    // Headless without a selector may front endpoints of either family.
    const selectorless = svc('ext-db', { clusterIP: 'None', ports: [{ port: 5432 }] });
    alloc.allocate(selectorless).commit();
    assert.equal(selectorless.spec.ipFamilyPolicy, 'RequireDualStack');
    assert.deepEqual(selectorless.spec.ipFamilies, ['IPv4', 'IPv6']);
  });
});

describe('ServiceAllocator node ports', () => {
  it('rejects a second Service asking for the seed NodePort 30001', () => {
    const alloc = new ServiceAllocator();
    const first = svc('swiggy-api-service', seed('02-service-nodeport-api.yaml').spec);
    alloc.allocate(first).commit();
    assert.equal(first.spec.ports[0].nodePort, 30001);
    const second = svc('swiggy-api-service-2', seed('02-service-nodeport-api.yaml').spec);
    const err = failure(() => alloc.allocate(second));
    assert.deepEqual(err, {
      code: 422,
      message: 'Service "swiggy-api-service-2" is invalid: spec.ports[0].nodePort: Invalid value: 30001: provided port is already allocated',
    });
    // The failed create holds nothing: its cluster IP went back to the pool.
    assert.equal(alloc.isIPAllocated(second.spec.clusterIP ?? ''), false);
  });

  it('rejects a node port outside the range', () => {
    const alloc = new ServiceAllocator();
    assert.deepEqual(failure(() => alloc.allocate(svc('low', nodePort(80)))), {
      code: 422,
      message: 'Service "low" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    });
  });

  it('frees the port when the Service is deleted', () => {
    const alloc = new ServiceAllocator();
    const first = svc('first', nodePort(30001));
    alloc.allocate(first).commit();
    alloc.release(first);
    assert.equal(alloc.isPortAllocated(30001), false);
    assert.equal(alloc.isIPAllocated(first.spec.clusterIP), false);
    const again = svc('again', nodePort(30001));
    alloc.allocate(again).commit();
    assert.equal(again.spec.ports[0].nodePort, 30001);
  });

  it('frees everything a failed write reserved on rollback', () => {
    const alloc = new ServiceAllocator();
    const first = svc('first', nodePort(30001));
    alloc.allocate(first).rollback();
    assert.equal(alloc.isPortAllocated(30001), false);
    assert.equal(alloc.isIPAllocated(first.spec.clusterIP), false);
  });

  it('gives a LoadBalancer Service node ports from the dynamic band', () => {
    const alloc = new ServiceAllocator({ random: lowest });
    const lb = svc('swiggy-public-api', seed('03-service-loadbalancer-public-api.yaml').spec);
    alloc.allocate(lb).commit();
    // 30000-30085 is the static band of the default range (2768/32 = 86 ports).
    assert.equal(lb.spec.ports[0].nodePort, 30086);
    assert.equal(lb.spec.healthCheckNodePort, undefined);
  });

  it('gives no node ports when allocateLoadBalancerNodePorts is false', () => {
    const alloc = new ServiceAllocator();
    const lb = svc('lb', { type: 'LoadBalancer', ports: [{ port: 443 }], allocateLoadBalancerNodePorts: false });
    alloc.allocate(lb).commit();
    assert.equal(lb.spec.ports[0].nodePort, undefined);
  });

  it('adds a health-check node port for externalTrafficPolicy Local', () => {
    const alloc = new ServiceAllocator({ random: highest });
    const lb = svc('lb', { type: 'LoadBalancer', ports: [{ port: 443 }], externalTrafficPolicy: 'Local' });
    alloc.allocate(lb).commit();
    assert.equal(lb.spec.ports[0].nodePort, 32767);
    // The scan wraps around to the start of the dynamic band.
    assert.equal(lb.spec.healthCheckNodePort, 30086);
  });

  it('shares one node port between protocols of the same port number', () => {
    const alloc = new ServiceAllocator();
    const dns = svc('dns', { type: 'NodePort', ports: [{ name: 'tcp', port: 53, nodePort: 30053 }, { name: 'udp', port: 53, protocol: 'UDP' }] });
    alloc.allocate(dns).commit();
    assert.deepEqual(dns.spec.ports.map((p: { nodePort: number }) => p.nodePort), [30053, 30053]);
  });

  it('reports an exhausted range as an internal error', () => {
    const alloc = new ServiceAllocator({ nodePortRange: [30000, 30001] });
    alloc.allocate(svc('a', { type: 'NodePort', ports: [{ port: 80 }] })).commit();
    alloc.allocate(svc('b', { type: 'NodePort', ports: [{ port: 80 }] })).commit();
    assert.deepEqual(failure(() => alloc.allocate(svc('c', { type: 'NodePort', ports: [{ port: 80 }] }))), {
      code: 500,
      message: 'Internal error occurred: failed to allocate a nodePort: range is full',
    });
  });
});

describe('ServiceAllocator updates', () => {
  it('keeps the old allocations when the manifest is resubmitted', () => {
    const alloc = new ServiceAllocator();
    const old = svc('api', { type: 'NodePort', ports: [{ port: 8080 }] });
    alloc.allocate(old).commit();
    const next = updated({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { type: 'NodePort', ports: [{ port: 8080 }] } }, old);
    alloc.allocate(next, old).commit();
    assert.equal(next.spec.clusterIP, old.spec.clusterIP);
    assert.equal(next.spec.ports[0].nodePort, old.spec.ports[0].nodePort);
    assert.equal(alloc.isPortAllocated(old.spec.ports[0].nodePort), true);
  });

  it('releases dropped node ports only when the update is committed', () => {
    const alloc = new ServiceAllocator();
    const old = svc('api', nodePort(30001));
    alloc.allocate(old).commit();
    const input = structuredClone(old);
    input.spec.type = 'ClusterIP';

    const failed = updated(input, old);
    alloc.allocate(failed, old).rollback();
    assert.equal(alloc.isPortAllocated(30001), true);

    const next = updated(input, old);
    const txn = alloc.allocate(next, old);
    assert.equal(alloc.isPortAllocated(30001), true);
    txn.commit();
    assert.equal(alloc.isPortAllocated(30001), false);
    assert.equal(alloc.isIPAllocated(old.spec.clusterIP), true);
  });

  it('moves a node port and frees the old one', () => {
    const alloc = new ServiceAllocator();
    const old = svc('api', nodePort(30001));
    alloc.allocate(old).commit();
    const input = structuredClone(old);
    input.spec.ports[0].nodePort = 30002;
    alloc.allocate(updated(input, old), old).commit();
    assert.equal(alloc.isPortAllocated(30001), false);
    assert.equal(alloc.isPortAllocated(30002), true);
  });

  it('frees the cluster IP when the Service becomes ExternalName, and allocates one on the way back', () => {
    const alloc = new ServiceAllocator();
    const old = svc('api', { ports: [{ port: 80 }] });
    alloc.allocate(old).commit();
    const ext = updated({ ...structuredClone(old), spec: { ...structuredClone(old.spec), type: 'ExternalName', externalName: 'example.com' } }, old);
    alloc.allocate(ext, old).commit();
    assert.equal(alloc.isIPAllocated(old.spec.clusterIP), false);

    const back = updated({ ...structuredClone(ext), spec: { ports: [{ port: 80 }] } }, ext);
    alloc.allocate(back, ext).commit();
    assert.match(back.spec.clusterIP, /^10\.96\./);
    assert.equal(alloc.isIPAllocated(back.spec.clusterIP), true);
  });

  it('rejects moving to a node port another Service holds, keeping the old one', () => {
    const alloc = new ServiceAllocator();
    alloc.allocate(svc('other', nodePort(30002))).commit();
    const old = svc('api', nodePort(30001));
    alloc.allocate(old).commit();
    const input = structuredClone(old);
    input.spec.ports[0].nodePort = 30002;
    assert.deepEqual(failure(() => alloc.allocate(updated(input, old), old)), {
      code: 422,
      message: 'Service "api" is invalid: spec.ports[0].nodePort: Invalid value: 30002: provided port is already allocated',
    });
    assert.equal(alloc.isPortAllocated(30001), true);
  });
});

describe('ServiceAllocator.load', () => {
  it('rebuilds the used sets from stored Services', () => {
    const first = new ServiceAllocator();
    const stored = [svc('a', nodePort(30001)), svc('b', { clusterIP: '10.96.0.10', ports: [{ port: 53 }] }), svc('c', seed('04-service-externalname-razorpay.yaml').spec)];
    for (const s of stored) first.allocate(s).commit();

    const restarted = new ServiceAllocator();
    restarted.load(stored);
    assert.equal(restarted.isPortAllocated(30001), true);
    assert.equal(restarted.isIPAllocated('10.96.0.10'), true);
    assert.equal(restarted.isIPAllocated(stored[0].spec.clusterIP), true);
    assert.equal(failure(() => restarted.allocate(svc('d', nodePort(30001)))).code, 422);
  });
});
