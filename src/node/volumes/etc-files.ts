// A pod's /etc/hosts and /etc/resolv.conf as the kubelet (and its CRI runtime) write them: hostname, dnsPolicy, dnsConfig and their limits.
import type { Pod } from '../pod-worker-types.ts';

export interface DNSSettings {
  /** kubelet --cluster-dns (10.96.0.10); empty makes ClusterFirst fall back to Default. */
  clusterDNS: string[];
  /** kubelet --cluster-domain. */
  clusterDomain: string;
  /** The node's resolv.conf text (kubelet --resolv-conf), or undefined for --resolv-conf="". */
  hostResolvConf: string | undefined;
}

export interface ResolvConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** A notice the kubelet also records as an event (DNSConfigForming, MissingClusterDNS). */
export interface DNSWarning {
  reason: string;
  message: string;
}

const maxNameservers = 3;
const maxSearchPaths = 32;
const maxSearchChars = 2048;

/** The pod's hostname and domain: spec.hostname or the name, cut to 63 characters; the domain from spec.subdomain. */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain: string } {
  let hostname = pod.spec.hostname || pod.metadata.name;
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  const domain = pod.spec.subdomain ? `${pod.spec.subdomain}.${pod.metadata.namespace}.svc.${clusterDomain}` : '';
  return { hostname, domain };
}

function hostAliasesBlock(pod: Pod): string {
  const aliases = pod.spec.hostAliases ?? [];
  if (!aliases.length) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  return out;
}

/** managedHostsFileContent, or the node's hosts file under the host-network header. */
export function hostsFile(pod: Pod, podIPs: readonly string[], clusterDomain: string, nodeHosts = ''): string {
  if (pod.spec.hostNetwork) return `# Kubernetes-managed hosts file (host network).\n${nodeHosts}${hostAliasesBlock(pod)}`;
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  let out = '# Kubernetes-managed hosts file.\n';
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + hostAliasesBlock(pod);
}

/** parseResolvConf: nameservers accumulate; the last search and options lines win; trailing dots go. */
export function parseResolvConf(text: string): ResolvConfig {
  const out: ResolvConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const f = line.split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) out.servers.push(f[1]);
    else if (f[0] === 'search') out.searches = f.slice(1).map((s) => (s.length > 1 ? s.replace(/\.$/, '') : s));
    else if (f[0] === 'options') out.options = f.slice(1);
  }
  return out;
}

const dedupe = (xs: string[]): string[] => [...new Set(xs)];

function mergeOptions(existing: string[], extra: { name: string; value?: string }[]): string[] {
  const m = new Map<string, string>();
  for (const op of existing) {
    const i = op.indexOf(':');
    if (i >= 0) m.set(op.slice(0, i), op.slice(i + 1));
    else m.set(op, '');
  }
  for (const op of extra) m.set(op.name, op.value ?? '');
  return [...m].map(([k, v]) => (v ? `${k}:${v}` : k));
}

/** Configurer.GetPodDNS: the pod's DNS configuration by dnsPolicy, merged with dnsConfig and cut to the resolver's limits. */
export function podDNS(pod: Pod, s: DNSSettings, warn: (w: DNSWarning) => void = () => {}): ResolvConfig {
  const host: ResolvConfig = s.hostResolvConf === undefined ? { servers: ['127.0.0.1'], searches: ['.'], options: [] } : parseResolvConf(s.hostResolvConf);
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  let cfg: ResolvConfig;
  if (policy === 'None') cfg = { servers: [], searches: [], options: [] };
  else if (policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !pod.spec.hostNetwork)) {
    if (s.clusterDNS.length) {
      const searches = s.clusterDomain
        ? dedupe([`${pod.metadata.namespace}.svc.${s.clusterDomain}`, `svc.${s.clusterDomain}`, s.clusterDomain, ...host.searches])
        : host.searches;
      cfg = { servers: [...s.clusterDNS], searches, options: ['ndots:5'] };
    } else {
      warn({
        reason: 'MissingClusterDNS',
        message: `pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})". kubelet does not have ClusterDNS IP configured and cannot create Pod using "${policy}" policy. Falling back to "Default" policy.`,
      });
      cfg = host;
    }
  } else cfg = host;
  const dc = pod.spec.dnsConfig;
  if (dc) {
    cfg = {
      servers: dedupe([...cfg.servers, ...(dc.nameservers ?? [])]),
      searches: dedupe([...cfg.searches, ...(dc.searches ?? [])]),
      options: mergeOptions(cfg.options, dc.options ?? []),
    };
  }
  if (cfg.servers.length > maxNameservers) {
    cfg.servers = cfg.servers.slice(0, maxNameservers);
    warn({
      reason: 'DNSConfigForming',
      message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${cfg.servers.join(' ')}`,
    });
  }
  let searches = cfg.searches.filter((x) => x.length <= 253);
  let cut = searches.length !== cfg.searches.length;
  if (searches.length > maxSearchPaths) {
    searches = searches.slice(0, maxSearchPaths);
    cut = true;
  }
  while (searches.join(' ').length > maxSearchChars) {
    searches = searches.slice(0, -1);
    cut = true;
  }
  if (cut) {
    warn({
      reason: 'DNSConfigForming',
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`,
    });
  }
  cfg.searches = searches;
  return cfg;
}

/** The resolv.conf text a CRI runtime writes: search, then nameservers, then options. */
export function resolvConfText(c: ResolvConfig): string {
  let out = '';
  if (c.searches.length) out += `search ${c.searches.join(' ')}\n`;
  for (const s of c.servers) out += `nameserver ${s}\n`;
  if (c.options.length) out += `options ${c.options.join(' ')}\n`;
  return out;
}
