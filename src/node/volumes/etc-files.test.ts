import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsFile, podDNS, resolvConfText, type DNSSettings } from './etc-files.ts';
import type { Pod } from '../pod-worker-types.ts';

const pod = (spec: Partial<Pod['spec']> = {}, name = 'web-0'): Pod => ({
  metadata: { name, namespace: 'shop', uid: 'u1' },
  spec: { containers: [{ name: 'c' }], ...spec },
});

const host = 'nameserver 1.1.1.1\nnameserver 8.8.8.8\nsearch corp.example. lab.example\noptions rotate timeout:2\n';
const settings: DNSSettings = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostResolvConf: host };

test('ClusterFirst: cluster DNS only, cluster searches then the host ones, ndots:5', () => {
  assert.equal(
    resolvConfText(podDNS(pod(), settings)),
    'search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n',
  );
});

test('Default and ClusterFirst with hostNetwork use the node resolv.conf; ClusterFirstWithHostNet the cluster', () => {
  const expected = 'search corp.example lab.example\nnameserver 1.1.1.1\nnameserver 8.8.8.8\noptions rotate timeout:2\n';
  assert.equal(resolvConfText(podDNS(pod({ dnsPolicy: 'Default' }), settings)), expected);
  assert.equal(resolvConfText(podDNS(pod({ hostNetwork: true }), settings)), expected);
  assert.match(resolvConfText(podDNS(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), settings)), /nameserver 10\.96\.0\.10\n/);
});

test('None with dnsConfig; dnsConfig merges; nameserver limit warns', () => {
  const none = podDNS(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }), settings);
  assert.equal(resolvConfText(none), 'search a.example\nnameserver 9.9.9.9\noptions ndots:2 edns0\n');
  const warnings: string[] = [];
  const merged = podDNS(
    pod({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'], searches: ['cluster.local', 'x.example'], options: [{ name: 'ndots', value: '1' }] } }),
    settings,
    (w) => warnings.push(`${w.reason}: ${w.message}`),
  );
  assert.deepEqual(merged.servers, ['10.96.0.10', '1.1.1.1', '2.2.2.2']);
  assert.deepEqual(merged.options, ['ndots:1']);
  assert.equal(merged.searches.at(-1), 'x.example');
  assert.deepEqual(warnings, ['DNSConfigForming: Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 2.2.2.2']);
});

test('managed /etc/hosts with hostname, subdomain and aliases', () => {
  assert.equal(
    hostsFile(pod({ hostname: 'db', subdomain: 'backend', hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }] }), ['10.244.0.9'], 'cluster.local'),
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
      '10.244.0.9\tdb.backend.shop.svc.cluster.local\tdb\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n',
  );
  assert.match(hostsFile(pod(), ['10.244.0.9'], 'cluster.local'), /\n10\.244\.0\.9\tweb-0\n$/);
  assert.equal(hostsFile(pod({ hostNetwork: true }), [], 'cluster.local', '127.0.0.1 localhost\n'), '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n');
  const long = 'a'.repeat(62) + '-b';
  assert.match(hostsFile(pod({}, long), ['10.0.0.1'], 'cluster.local'), new RegExp(`\\t${'a'.repeat(62)}\\n$`));
});
