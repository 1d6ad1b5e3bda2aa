// The nftables ruleset of one instance's pod network: the bridge's forward filter, and the `kubernetes` Service's virtual IP led to the API server.
import { isIPv4 } from 'node:net';
import type { InstanceNames } from './instance-names.ts';

/** The `kubernetes` Service of `default` and the address the API server listens on (what its Endpoints would name). */
export interface KubernetesServiceRoute {
  clusterIP: string;
  /** The Service port (443). */
  port: number;
  /** The API server's listen address (`--host`) and port. */
  apiHost: string;
  apiPort: number;
}

/** Where pods' packets for the `kubernetes` Service go: an IPv4 address of the API server, and whether it is the host's loopback. */
export function apiServerTarget(route: KubernetesServiceRoute): { ip: string; loopback: boolean } | undefined {
  const h = route.apiHost;
  // A wildcard or loopback listener is reached on 127.0.0.1 (dual-stack `::` accepts IPv4 too).
  if (h === '0.0.0.0' || h === '::' || h === 'localhost' || /^127\./.test(h)) return { ip: h.startsWith('127.') ? h : '127.0.0.1', loopback: true };
  if (isIPv4(h)) return { ip: h, loopback: false };
  return undefined; // an IPv6-only listener cannot take IPv4 pods' connections
}

/**
 * The instance's table. Pods may talk to each other and to the host, never be forwarded elsewhere. Connections to the
 * `kubernetes` Service are DNATed to the API server, like kube-proxy does for its Endpoints; when that is the host's
 * loopback, the bridge needs route_localnet (portmap sets it too, for hostPorts on 127.0.0.1), so the input chain drops
 * every packet from the bridge to 127.0.0.0/8 that was not DNATed there (kube-proxy's guard for CVE-2020-8558): a pod
 * must not reach the host's loopback-only services.
 */
export function podNetworkRules(names: InstanceNames, service?: KubernetesServiceRoute): string {
  const t = names.nftTable;
  const br = names.bridge;
  const target = service && apiServerTarget(service);
  const lines = [
    `table inet ${t} {}`,
    `delete table inet ${t}`,
    `table inet ${t} {`,
    '  chain forward {',
    '    type filter hook forward priority 0; policy accept;',
    `    iifname "${br}" oifname != "${br}" drop`,
    `    oifname "${br}" iifname != "${br}" drop`,
    '  }',
    '  chain input {',
    '    type filter hook input priority 0; policy accept;',
    `    iifname "${br}" ip daddr 127.0.0.0/8 ct status & dnat != dnat drop`,
    '  }',
  ];
  if (service && target) {
    const dnat = `ip daddr ${service.clusterIP} tcp dport ${service.port} dnat ip to ${target.ip}:${service.apiPort}`;
    lines.push('  chain prerouting {', '    type nat hook prerouting priority -100; policy accept;', `    iifname "${br}" ${dnat}`, '  }');
    // hostNetwork pods (and the host itself) reach the Service too.
    lines.push('  chain output {', '    type nat hook output priority -100; policy accept;', `    ${dnat}`, '  }');
  }
  lines.push('}', '');
  return lines.join('\n');
}
