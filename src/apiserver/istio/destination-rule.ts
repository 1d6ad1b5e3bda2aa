// istiod's validation of a DestinationRule: host, traffic policies (pools, outlier detection, load balancing,
// TLS, per-port settings, tunnels), subsets, exportTo and the workload selector.
import { appendErrors, appendValidation, appendWarning, goQuote as q, type ConfigError, type Validation } from './config-errors.ts';
import { nanos, validateDuration } from './durations.ts';
import { validateExportTo } from './export-to.ts';
import { isValidIPAddress, validateFQDN, validateWildcardDomain } from './hosts.ts';
import { list, present, validateSubsetName } from './http-rules.ts';
import { validateLabels, validateWorkloadSelector } from './labels.ts';
import { validatePort } from './ports.ts';
import type { IstioConfig } from './istio-config.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs are untyped JSON read defensively */

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^-?[0-9]+$/.test(v) ? Number(v) : 0);
const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;

function validatePercent(val: number): string | undefined {
  return val < 0 || val > 100 ? `percentage ${val} is not in range 0..100` : undefined;
}

function validateOutlierDetection(outlier: any): Validation {
  let v: Validation = {};
  if (outlier == null) return v;
  if (present(outlier.baseEjectionTime)) v = appendValidation(v, validateDuration(outlier.baseEjectionTime));
  if (num(outlier.consecutiveErrors) !== 0) {
    v = appendWarning(v, 'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead');
  }
  if (outlier.splitExternalLocalOriginErrors !== true && num(outlier.consecutiveLocalOriginFailures) > 0) {
    v = appendValidation(v, 'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false');
  }
  if (present(outlier.interval)) v = appendValidation(v, validateDuration(outlier.interval));
  return appendValidation(v, validatePercent(num(outlier.maxEjectionPercent)), validatePercent(num(outlier.minHealthPercent)));
}

function validateConnectionPool(pool: any): ConfigError | undefined {
  if (pool == null) return undefined;
  if (pool.http == null && pool.tcp == null) return 'connection pool must have at least one field';
  let errs: ConfigError | undefined;
  const http = pool.http;
  if (http != null) {
    if (num(http.http1MaxPendingRequests) < 0) errs = appendErrors(errs, 'http1 max pending requests must be non-negative');
    if (num(http.http2MaxRequests) < 0) errs = appendErrors(errs, 'http2 max requests must be non-negative');
    if (num(http.maxRequestsPerConnection) < 0) errs = appendErrors(errs, 'max requests per connection must be non-negative');
    if (num(http.maxRetries) < 0) errs = appendErrors(errs, 'max retries must be non-negative');
    if (present(http.idleTimeout)) errs = appendErrors(errs, validateDuration(http.idleTimeout));
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
      errs = appendErrors(errs, 'use client protocol must not be true when H2UpgradePolicy is UPGRADE');
    }
    if (num(http.maxConcurrentStreams) < 0) errs = appendErrors(errs, 'max concurrent streams must be non-negative');
    const ka = http.http2KeepAlive;
    if (ka != null) {
      errs = appendErrors(errs, present(ka.interval) ? validateDuration(ka.interval) : 'http2 keepalive interval is required');
      errs = appendErrors(errs, present(ka.timeout) ? validateDuration(ka.timeout) : 'http2 keepalive timeout is required');
    }
  }
  const tcp = pool.tcp;
  if (tcp != null) {
    if (num(tcp.maxConnections) < 0) errs = appendErrors(errs, 'max connections must be non-negative');
    if (present(tcp.connectTimeout)) errs = appendErrors(errs, validateDuration(tcp.connectTimeout));
    if (present(tcp.maxConnectionDuration)) errs = appendErrors(errs, validateDuration(tcp.maxConnectionDuration));
    // 0s disables the idle timeout.
    if (present(tcp.idleTimeout) && nanos(tcp.idleTimeout) / 1_000_000n !== 0n) errs = appendErrors(errs, validateDuration(tcp.idleTimeout));
    const ka = tcp.tcpKeepalive;
    if (ka != null) {
      if (present(ka.time)) errs = appendErrors(errs, validateDuration(ka.time));
      if (present(ka.interval)) errs = appendErrors(errs, validateDuration(ka.interval));
    }
  }
  return errs;
}

/** Envoy's primality test for maglev table sizes. */
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  const limit = Math.floor(Math.sqrt(x));
  for (let f = 3; f <= limit; f += 2) if (x % f === 0) return false;
  return true;
}

const topologyLabels = new Set(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone']);

/** Localities `region/zone/subzone`, with at most one trailing `*`, must not overlap. */
function validateLocalities(localities: string[]): string | undefined {
  const regions = new Map<string, Map<string, Set<string>>>();
  for (const locality of localities) {
    const stars = locality.split('*').length - 1;
    if (stars > 0 && (stars > 1 || !locality.endsWith('*'))) return `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end`;
    if (regions.has('*')) return `locality ${locality} overlap with previous specified ones`;
    const items = locality.split('/');
    const parts = items.length > 3 ? [items[0], items[1], items.slice(2).join('/')] : items;
    if (parts.some((p) => p === '')) return `locality ${locality} must not contain empty region/zone/subzone info`;
    const [region, zone, subzone] = parts;
    const overlap = `locality ${locality} overlap with previous specified ones`;
    if (parts.length === 1) {
      if (regions.has(region)) return overlap;
      regions.set(region, new Map([['*', new Set(['*'])]]));
    } else if (parts.length === 2) {
      const zones = regions.get(region);
      if (zones) {
        if (zones.has('*') || zones.has(zone)) return overlap;
        zones.set(zone, new Set(['*']));
      } else {
        regions.set(region, new Map([[zone, new Set(['*'])]]));
      }
    } else {
      const zones = regions.get(region);
      if (zones) {
        if (zones.has('*')) return overlap;
        const subzones = zones.get(zone);
        if (subzones) {
          if (subzones.has('*') || subzones.has(subzone)) return overlap;
          subzones.add(subzone);
        } else {
          zones.set(zone, new Set([subzone]));
        }
      } else {
        regions.set(region, new Map([[zone, new Set([subzone])]]));
      }
    }
  }
  return undefined;
}

function validateLocalityLbSetting(lb: any, outlier: any): Validation {
  let v: Validation = {};
  if (lb == null) return v;
  const distribute = list(lb.distribute);
  const failover = list(lb.failover);
  const failoverPriority = list(lb.failoverPriority).map(str);
  if (distribute.length > 0 && failover.length > 0) return appendValidation(v, "can not simultaneously specify 'distribute' and 'failover'");
  if (failover.length > 0) {
    for (const label of failoverPriority) {
      if (topologyLabels.has(label)) return appendValidation(v, `can not simultaneously set 'failover' and topology label '${label}' in 'failover_priority'`);
    }
  }
  const sources: string[] = [];
  for (const d of distribute) {
    sources.push(str(d.from));
    let total = 0;
    const destinations: string[] = [];
    for (const [loc, weight] of Object.entries((d.to ?? {}) as Record<string, unknown>)) {
      destinations.push(loc);
      const w = num(weight);
      if (w <= 0 || w > 100) return appendValidation(v, 'locality weight must be in range [1, 100]');
      total += w;
    }
    if (total !== 100) return appendValidation(v, `total locality weight ${total} != 100`);
    v = appendValidation(v, validateLocalities(destinations));
  }
  v = appendValidation(v, validateLocalities(sources));
  if ((failover.length > 0 || failoverPriority.length > 0) && outlier == null) v = appendWarning(v, 'outlier detection policy must be provided for failover');
  for (const f of failover) {
    const from = str(f.from);
    const to = str(f.to);
    if (from === to) v = appendValidation(v, 'locality lb failover settings must specify different regions');
    if (from.includes('/') || to.includes('/')) v = appendValidation(v, 'locality lb failover only specify region');
    if (to.includes('*') || from.includes('*')) v = appendValidation(v, "locality lb failover region should not contain '*' wildcard");
  }
  return v;
}

function validateZoneAwareLbSetting(lb: any, outlier: any): Validation {
  let v: Validation = {};
  if (lb == null) return v;
  const failover = list(lb.failover);
  const failoverPriority = list(lb.failoverPriority).map(str);
  for (const label of failoverPriority) {
    if (topologyLabels.has(label)) {
      v = appendValidation(v, `'failover_priority' for zone aware lb must not use topology label '${label}'; region- and zone-level routing are handled automatically`);
    }
  }
  if ((failover.length > 0 || failoverPriority.length > 0) && outlier == null) v = appendWarning(v, 'outlier detection policy must be provided for failover');
  for (const f of failover) {
    const from = str(f.from);
    const to = str(f.to);
    if (from === to) v = appendValidation(v, 'zone aware lb failover settings must specify different regions');
    if (from.includes('/') || to.includes('/')) v = appendValidation(v, 'zone aware lb failover only specifies region; zone and subzone failover are handled automatically');
    if (to.includes('*') || from.includes('*')) v = appendValidation(v, "zone aware lb failover region should not contain '*' wildcard");
  }
  return v;
}

function validateLoadBalancer(lb: any, outlier: any): Validation {
  let v: Validation = {};
  if (lb == null) return v;
  const ch = lb.consistentHash;
  if (ch != null) {
    const cookie = ch.httpCookie;
    if (cookie != null && str(cookie.name) === '') v = appendValidation(v, 'name required for HttpCookie');
    if (cookie != null && list(cookie.attributes).length > 0) {
      const names = new Set<string>();
      for (const attr of list(cookie.attributes)) {
        const name = str(attr.name);
        if (name === '') {
          v = appendValidation(v, 'cookie attribute name cannot be empty');
          continue;
        }
        if (names.has(name)) v = appendValidation(v, `duplicate cookie attribute name: ${name}`);
        else names.add(name);
      }
    }
    const minimumRingSize = num(ch.minimumRingSize);
    if (minimumRingSize !== 0) v = appendWarning(v, "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
    if (minimumRingSize !== 0 && (ch.ringHash != null || ch.maglev != null)) v = appendValidation(v, 'only one of MinimumRingSize or Maglev/Ringhash can be specified');
    if (ch.maglev != null) {
      const size = num(ch.maglev.tableSize);
      if (size === 0) v = appendValidation(v, 'tableSize must be set for maglev');
      if (size >= 5000011) v = appendValidation(v, 'tableSize must be less than 5000011 for maglev');
      if (!isPrime(size)) v = appendValidation(v, 'tableSize must be a prime number for maglev');
    }
  }
  if (lb.localityLbSetting != null && lb.zoneAwareLbSetting != null) v = appendValidation(v, 'only one of localityLbSetting and zoneAwareLbSetting can be set');
  v = appendValidation(v, validateLocalityLbSetting(lb.localityLbSetting, outlier));
  v = appendValidation(v, validateZoneAwareLbSetting(lb.zoneAwareLbSetting, outlier));
  const warm = lb.warmup;
  if (warm != null) {
    v = appendValidation(v, present(warm.duration) ? validateDuration(warm.duration) : 'duration is required');
    if (num(warm.minimumPercent) > 100) v = appendValidation(v, 'minimumPercent value should be less than or equal to 100');
    if (present(warm.aggression) && num(warm.aggression) <= 0) v = appendValidation(v, 'aggression should be greater than 0');
  }
  return v;
}

/** Where istiod reads `configmap://<namespace>/<name>` credentials, the namespace must be the rule's own. */
function configMapCredentialError(name: string, namespace: string): string | undefined {
  const rest = name.slice('configmap://'.length);
  const parts = rest.split('/');
  let err: string | undefined;
  if (parts.length <= 1) err = `invalid resource name ${q(name)}. Expected namespace and name`;
  else if (parts[0].length === 0) err = `invalid resource name ${q(name)}. Expected namespace`;
  else if (parts[1].length === 0) err = `invalid resource name ${q(name)}. Expected name`;
  if (err) return `invalid configmap:// credentialName: ${err}`;
  if (parts[0] !== namespace || namespace === '') return `invalid configmap:// credentialName: namespace must match the configuration namespace ${q(namespace)}`;
  return undefined;
}

/** Client-side TLS settings (agent.ValidateTLS). */
function validateClientTLS(namespace: string, tls: any): ConfigError | undefined {
  if (tls == null) return undefined;
  let errs: ConfigError | undefined;
  const mode = str(tls.mode) || 'DISABLE';
  const credentialName = str(tls.credentialName);
  if (credentialName.startsWith('configmap://')) errs = appendErrors(errs, configMapCredentialError(credentialName, namespace));
  if (tls.insecureSkipVerify === true) {
    if (mode === 'SIMPLE' && (str(tls.caCertificates) !== '' || credentialName !== '' || nonEmpty(tls.subjectAltNames))) {
      errs = appendErrors(errs, 'cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true');
    }
    if (mode === 'MUTUAL' && (str(tls.caCertificates) !== '' || nonEmpty(tls.subjectAltNames))) {
      errs = appendErrors(errs, 'cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true');
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credentialName !== '') {
    if (str(tls.clientCertificate) !== '' || str(tls.caCertificates) !== '' || str(tls.privateKey) !== '' || str(tls.caCrl) !== '') {
      errs = appendErrors(errs, 'cannot specify client certificates or CA certificate or CA CRL If credentialName is set');
    }
    // Credentials come from the named secret; no files are needed.
    return errs;
  }
  if (mode === 'MUTUAL') {
    if (str(tls.clientCertificate) === '') errs = appendErrors(errs, 'client certificate required for mutual tls');
    if (str(tls.privateKey) === '') errs = appendErrors(errs, 'private key required for mutual tls');
  }
  return errs;
}

function validatePortTrafficPolicies(namespace: string, policies: unknown): ConfigError | undefined {
  let errs: ConfigError | undefined;
  for (const t of list(policies)) {
    if (t.port == null) errs = appendErrors(errs, 'portTrafficPolicy must have valid port');
    if (t.outlierDetection == null && t.connectionPool == null && t.loadBalancer == null && t.tls == null) {
      errs = appendErrors(errs, 'port traffic policy must have at least one field');
    } else {
      // Joined as plain errors: warnings of per-port policies are dropped, as in istiod.
      errs = appendErrors(
        errs,
        validateOutlierDetection(t.outlierDetection),
        validateConnectionPool(t.connectionPool),
        validateLoadBalancer(t.loadBalancer, t.outlierDetection),
        validateClientTLS(namespace, t.tls),
      );
    }
  }
  return errs;
}

function validateTunnelSettings(tunnel: any): ConfigError | undefined {
  if (tunnel == null) return undefined;
  let errs: ConfigError | undefined;
  const protocol = str(tunnel.protocol);
  if (protocol !== '' && protocol !== 'CONNECT' && protocol !== 'POST') errs = appendErrors(errs, 'tunnel protocol must be "CONNECT" or "POST"');
  const host = str(tunnel.targetHost);
  const fqdnErr = validateFQDN(host);
  if (fqdnErr && !isValidIPAddress(host)) errs = appendErrors(errs, `tunnel target host must be valid FQDN or IP address: ${fqdnErr}; ${host} is not a valid IP`);
  const portErr = validatePort(num(tunnel.targetPort));
  if (portErr) errs = appendErrors(errs, `tunnel target port is invalid: ${portErr}`);
  return errs;
}

function validateProxyProtocol(pp: any): string | undefined {
  if (pp == null) return undefined;
  const version = pp.version;
  const known = version === undefined || version === null || version === 'V1' || version === 'V2' || version === 0 || version === 1;
  return known ? undefined : `proxy protocol version is invalid: ${typeof version === 'number' ? version : 0}`;
}

export function validateTrafficPolicy(namespace: string, policy: any): Validation {
  if (policy == null) return {};
  const fields = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'tunnel', 'proxyProtocol', 'retryBudget'];
  if (fields.every((f) => policy[f] == null) && !nonEmpty(policy.portLevelSettings)) return { err: 'traffic policy must have at least one field' };
  if (policy.tunnel != null && policy.proxyProtocol != null) return { err: 'tunnel and proxyProtocol must not be set together' };
  return appendValidation(
    validateOutlierDetection(policy.outlierDetection),
    validateConnectionPool(policy.connectionPool),
    validateLoadBalancer(policy.loadBalancer, policy.outlierDetection),
    validateClientTLS(namespace, policy.tls),
    validatePortTrafficPolicies(namespace, policy.portLevelSettings),
    validateTunnelSettings(policy.tunnel),
    validateProxyProtocol(policy.proxyProtocol),
  );
}

function validateSubset(namespace: string, subset: any): ConfigError | undefined {
  return appendErrors(validateSubsetName(str(subset.name)), validateLabels(subset.labels), validateTrafficPolicy(namespace, subset.trafficPolicy));
}

export function validateDestinationRule(cfg: IstioConfig): Validation {
  const rule = cfg.spec;
  let v: Validation = appendValidation({}, validateWildcardDomain(str(rule.host)), validateTrafficPolicy(cfg.namespace, rule.trafficPolicy));
  const names = new Set<string>();
  for (const subset of list(rule.subsets)) {
    const name = str(subset.name);
    if (names.has(name)) v = appendValidation(v, `duplicate subset names: ${name}`);
    names.add(name);
    v = appendValidation(v, validateSubset(cfg.namespace, subset));
  }
  v = appendValidation(v, validateExportTo(cfg.namespace, list(rule.exportTo).map(str), false, rule.workloadSelector != null));
  return appendValidation(v, validateWorkloadSelector(rule.workloadSelector));
}
