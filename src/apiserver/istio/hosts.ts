// Host names, DNS labels, IP addresses and subnets as istiod validates and matches them.
import { isIPv6 } from 'node:net';
import { appendErrors, goQuote as q, type ConfigError } from './config-errors.ts';

const dns1123Label = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const dns1123LabelRe = new RegExp(`^${dns1123Label}$`);
// A wildcard label is `*`, or a DNS-1123 label optionally led by `*` or `*-`.
const wildcardLabelRe = new RegExp(`^(\\*|(\\*|\\*-)?${dns1123Label})$`);
const labelMaxLength = 63;

export const isDNS1123Label = (v: string): boolean => v.length <= labelMaxLength && dns1123LabelRe.test(v);

export const isWildcardDNS1123Label = (v: string): boolean => v.length <= labelMaxLength && wildcardLabelRe.test(v);

/** Go's strconv.Atoi succeeding: an optional sign and decimal digits that fit an int64. */
function isGoInt(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(1n << 63n) && n < 1n << 63n;
}

function checkDNS1123Preconditions(name: string): string | undefined {
  if (Buffer.byteLength(name) > 255) return `domain name ${q(name)} too long (max 255)`;
  if (name.length === 0) return 'empty domain name not allowed';
  return undefined;
}

function validateDNS1123Labels(domain: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (isGoInt(tld)) return `domain name ${q(domain)} invalid (top level domain ${q(tld)} cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    // A trailing dot (`istio.io.`) is allowed.
    if (i === parts.length - 1 && parts[i] === '') return undefined;
    if (!isDNS1123Label(parts[i])) return `domain name ${q(domain)} invalid (label ${q(parts[i])} invalid)`;
  }
  return undefined;
}

/** A fully-qualified domain name (no wildcard). */
export function validateFQDN(fqdn: string): string | undefined {
  return checkDNS1123Preconditions(fqdn) ?? validateDNS1123Labels(fqdn);
}

/** A domain that may start with a wildcard label (`*.example.com`, `*`); short names are allowed. */
export function validateWildcardDomain(domain: string): string | undefined {
  const pre = checkDNS1123Preconditions(domain);
  if (pre) return pre;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!isWildcardDNS1123Label(first)) return `domain name ${q(domain)} invalid (label ${q(first)} invalid)`;
  return dot < 0 ? undefined : validateDNS1123Labels(domain.slice(dot + 1));
}

/** Like validateWildcardDomain, but SNI hosts of a gateway-bound service may be `outbound_.<PORT>_._.<HOSTNAME>`. */
export function validateWildcardDomainForVirtualServiceBoundToGateway(sni: boolean, domain: string): string | undefined {
  const pre = checkDNS1123Preconditions(domain);
  if (pre) return pre;
  if (sni && domain.startsWith('outbound_')) {
    const format = 'outbound_.<PORT>_._.<HOSTNAME>';
    const parts = domain.split('_');
    if (parts.length < 4) return `domain name ${domain} invalid, should follow '${format}' format`;
    const trim = (s: string) => s.replace(/^\.+|\.+$/g, '');
    const [direction, port, hostname] = [parts[0], trim(parts[1]), trim(parts[3])];
    if (direction !== 'outbound') return `domain name ${q(domain)} invalid (label ${q(direction)} invalid)`;
    if (!/[0-9]/.test(port)) return `domain name ${q(domain)} invalid (label ${q(port)} invalid). should follow ${format} format`;
    if (!/[a-zA-Z]/.test(hostname)) return `domain name ${q(domain)} invalid (label ${q(hostname)} invalid). should follow ${format} format`;
    return undefined;
  }
  return validateWildcardDomain(domain);
}

export function validatePartialWildCard(host: string): string | undefined {
  if (host.includes('*') && host.length !== 1 && !host.startsWith('*.')) return `partial wildcard ${q(host)} not allowed`;
  return undefined;
}

function validateSidecarOrGatewayHostnamePart(hostname: string, isGateway: boolean): ConfigError | undefined {
  let errs: ConfigError | undefined;
  if (hostname !== '*' && !hostname.includes('.')) errs = appendErrors(errs, 'short names (non FQDN) are not allowed');
  const err = validateWildcardDomain(hostname);
  if (err) {
    if (!isGateway) errs = appendErrors(errs, err);
    // Gateways also accept an IP address as the host.
    if (!isValidIPAddress(hostname)) errs = appendErrors(errs, err);
  }
  return appendErrors(errs, validatePartialWildCard(hostname));
}

/** Hosts of a Gateway server (`[namespace/]dnsName`) or a Sidecar egress listener (`namespace/dnsName`). */
export function validateNamespaceSlashWildcardHostname(hostname: string, isGateway: boolean, gatewaySemantics: boolean): ConfigError | undefined {
  const slash = hostname.indexOf('/');
  if (slash < 0) {
    if (isGateway) return validateSidecarOrGatewayHostnamePart(hostname, true);
    return 'host must be of form namespace/dnsName';
  }
  const ns = hostname.slice(0, slash);
  const name = hostname.slice(slash + 1);
  let errs: ConfigError | undefined;
  if (ns.length === 0 || name.length === 0) errs = appendErrors(errs, 'config namespace and dnsName in host entry cannot be empty');
  if (!isGateway) {
    const bare = ns.replace(/^~/, '');
    if (bare !== '' && bare !== '*' && bare !== '.' && !isDNS1123Label(bare)) errs = appendErrors(errs, `invalid namespace value ${q(ns)} in sidecar`);
  } else if (ns !== '*' && ns !== '.' && (ns !== '~' || !gatewaySemantics)) {
    if (!isDNS1123Label(ns)) errs = appendErrors(errs, `invalid namespace value ${q(ns)} in gateway`);
  }
  return appendErrors(errs, validateSidecarOrGatewayHostnamePart(name, isGateway));
}

function parseIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  // Go's netip rejects leading zeros ("010.0.0.1").
  return parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** Go's netip.ParseAddr: dotted IPv4 without leading zeros, or IPv6 with an optional zone. */
export function isValidIPAddress(s: string): boolean {
  if (parseIPv4(s)) return true;
  if (!s.includes(':')) return false;
  const pct = s.indexOf('%');
  if (pct >= 0) {
    if (pct === s.length - 1) return false;
    s = s.slice(0, pct);
  }
  return isIPv6(s);
}

export function validateIPAddress(addr: string): string | undefined {
  return isValidIPAddress(addr) ? undefined : `${addr} is not a valid IP`;
}

/** An address in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`) or a single IP. */
export function validateIPSubnet(subnet: string): string | undefined {
  if (subnet.split('/').length - 1 === 1) {
    const [addr, bits] = subnet.split('/');
    const v4 = parseIPv4(addr);
    const ok = (v4 || (!addr.includes('%') && addr.includes(':') && isIPv6(addr))) && /^(0|[1-9][0-9]*)$/.test(bits) && Number(bits) <= (v4 ? 32 : 128);
    return ok ? undefined : `${subnet} is not a valid CIDR block`;
  }
  return validateIPAddress(subnet);
}

const isWildcarded = (h: string) => h.startsWith('*');

/** host.Name.Matches: whether two (possibly wildcard) hosts overlap. */
export function hostMatches(n: string, o: string): boolean {
  if (isWildcarded(n)) {
    if (isWildcarded(o)) return n.length < o.length ? o.slice(1).endsWith(n.slice(1)) : n.slice(1).endsWith(o.slice(1));
    return o.endsWith(n.slice(1));
  }
  if (isWildcarded(o)) return n.endsWith(o.slice(1));
  return n === o;
}

/** host.Name.SubsetOf: whether every host `n` names is also named by `o`. */
export function hostSubsetOf(n: string, o: string): boolean {
  if (isWildcarded(n)) {
    if (isWildcarded(o)) return n.length < o.length ? false : n.slice(1).endsWith(o.slice(1));
    return false;
  }
  if (isWildcarded(o)) return n.endsWith(o.slice(1));
  return n === o;
}

export const isWildcardHost = isWildcarded;
