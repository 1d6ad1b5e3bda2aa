// The pod network's nftables ruleset: the forward filter always, the `kubernetes` Service DNAT and its loopback guard when asked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runHostCommand } from './host-command.ts';
import { instanceNames } from './instance-names.ts';
import { apiServerTarget, podNetworkRules } from './pod-network-rules.ts';

const names = instanceNames('/tmp/dabba-rules-test');
const route = (apiHost: string) => ({ clusterIP: '10.96.0.1', port: 443, apiHost, apiPort: 6443 });

describe('podNetworkRules', () => {
  it('without the kubernetes Service: the forward filter and the loopback guard, recreated from scratch', () => {
    const rules = podNetworkRules(names);
    assert.match(rules, new RegExp(`^table inet ${names.nftTable} \\{\\}\\ndelete table inet ${names.nftTable}\\n`));
    assert.match(rules, new RegExp(`iifname "${names.bridge}" oifname != "${names.bridge}" drop`));
    // portmap turns route_localnet on for hostPorts: only DNATed packets from the bridge may reach 127.0.0.0/8.
    assert.match(rules, new RegExp(`iifname "${names.bridge}" ip daddr 127\\.0\\.0\\.0/8 ct status & dnat != dnat drop`));
    assert.doesNotMatch(rules, /dnat ip to|hook prerouting|hook output/);
  });

  it('a loopback API server: DNAT from the bridge and the host, and the CVE-2020-8558 guard', () => {
    const rules = podNetworkRules(names, route('127.0.0.1'));
    assert.match(rules, new RegExp(`hook prerouting priority -100; policy accept;\\n    iifname "${names.bridge}" ip daddr 10\\.96\\.0\\.1 tcp dport 443 dnat ip to 127\\.0\\.0\\.1:6443\\n`));
    assert.match(rules, /hook output priority -100; policy accept;\n {4}ip daddr 10\.96\.0\.1 tcp dport 443 dnat ip to 127\.0\.0\.1:6443\n/);
    assert.match(rules, new RegExp(`iifname "${names.bridge}" ip daddr 127\\.0\\.0\\.0/8 ct status & dnat != dnat drop`));
  });

  it('an API server on another address is DNATed there', () => {
    const rules = podNetworkRules(names, route('192.0.2.10'));
    assert.match(rules, /iifname "\w+" ip daddr 10\.96\.0\.1 tcp dport 443 dnat ip to 192\.0\.2\.10:6443\n/);
  });

  it('where the API server is reached from pods', () => {
    const table: [string, ReturnType<typeof apiServerTarget>][] = [
      ['127.0.0.1', { ip: '127.0.0.1', loopback: true }],
      ['127.0.0.2', { ip: '127.0.0.2', loopback: true }],
      ['0.0.0.0', { ip: '127.0.0.1', loopback: true }],
      ['::', { ip: '127.0.0.1', loopback: true }],
      ['localhost', { ip: '127.0.0.1', loopback: true }],
      ['192.0.2.10', { ip: '192.0.2.10', loopback: false }],
      ['::1', undefined],
    ];
    for (const [host, want] of table) assert.deepEqual(apiServerTarget(route(host)), want, host);
    assert.doesNotMatch(podNetworkRules(names, route('::1')), /dnat ip to/);
  });

  const nft = existsSync('/usr/sbin/nft') && process.getuid?.() === 0;
  it('nft accepts the ruleset (checked, not applied)', { skip: nft ? false : 'skipped: needs nft and root' }, async () => {
    // `delete table` of a table that is not there fails the check; the check only parses and validates the rest.
    const body = podNetworkRules(names, route('127.0.0.1')).split('\n').slice(2).join('\n');
    await runHostCommand('nft', ['-c', '-f', '-'], { input: body });
  });
});
