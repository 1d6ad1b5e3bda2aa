// istiod's validation of a ServiceEntry: hosts, addresses, ports, resolution modes, endpoints and exportTo.
import { appendValidation, appendWarning, goQuote as q, type Validation } from './config-errors.ts';
import { validateExportTo } from './export-to.ts';
import { isValidIPAddress, isWildcardHost, validateFQDN, validateIPSubnet, validatePartialWildCard, validateWildcardDomain } from './hosts.ts';
import { list } from './http-rules.ts';
import { validateAlphaWorkloadSelector, validateLabels } from './labels.ts';
import { isHTTP, isTCP, isTLS, parseProtocol, validatePort, validatePortName, validateProtocol } from './ports.ts';
import type { IstioConfig } from './istio-config.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs are untyped JSON read defensively */

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const unixPrefix = 'unix://';
const autoAllocateLabel = 'networking.istio.io/enable-autoallocate-ip';
const useWaypointLabel = 'istio.io/use-waypoint';

function validateUnixAddress(addr: string): string | undefined {
  if (addr.length === 0) return 'unix address must not be empty';
  if (addr.startsWith('@')) return undefined;
  if (!addr.startsWith('/') || addr.endsWith('/')) return `${addr} is not an absolute path to a file`;
  return undefined;
}

/** An endpoint of a STATIC ServiceEntry (a WorkloadEntry without FQDN addresses). */
function validateWorkloadEntry(we: any, servicePorts: Set<string>): Validation {
  let v: Validation = {};
  const addr = str(we.address);
  if (addr === '') {
    if (str(we.network) === '') return appendValidation(v, 'address is required');
    v = appendWarning(v, `address is unset with network ${q(str(we.network))}`);
  }
  let unix = false;
  if (addr.startsWith(unixPrefix)) {
    unix = true;
    v = appendValidation(v, validateUnixAddress(addr.slice(unixPrefix.length)));
    if (Object.keys(we.ports ?? {}).length !== 0) v = appendValidation(v, `unix endpoint ${addr} must not include ports`);
  } else if (addr !== '' && !isValidIPAddress(addr)) {
    v = appendValidation(v, `endpoint address ${q(addr)} is not a valid IP address`);
  }
  for (const [name, port] of Object.entries((we.ports ?? {}) as Record<string, unknown>)) {
    if (!servicePorts.has(name)) v = appendValidation(v, `endpoint port ${num(port)} is not defined by the service entry`);
    v = appendValidation(v, validatePortName(name), validatePort(num(port)));
  }
  v = appendValidation(v, validateLabels(we.labels));
  if (unix && servicePorts.size !== 1) v = appendValidation(v, 'exactly 1 service port required for unix endpoints');
  return v;
}

export function validateServiceEntry(cfg: IstioConfig): Validation {
  const se = cfg.spec;
  let v: Validation = {};
  const selector = validateAlphaWorkloadSelector(se.workloadSelector);
  // A broken selector is reported alone.
  if (selector.err !== undefined) return { err: selector.err };
  if (selector.warn) v = appendWarning(v, `service entry: ${selector.warn}, will be applied to all services in namespace`);
  if (se.workloadSelector != null && list(se.endpoints).length > 0) v = appendValidation(v, 'only one of WorkloadSelector or Endpoints is allowed in Service Entry');
  const resolution = str(se.resolution) || 'NONE';
  const hosts = list(se.hosts).map(str);
  if (hosts.length === 0) v = appendValidation(v, 'service entry must have at least one host');
  for (const h of hosts) {
    if (h === '*') {
      v = appendValidation(v, `invalid host ${h}`);
    } else {
      v = appendValidation(v, validateWildcardDomain(h));
      if (resolution !== 'DYNAMIC_DNS') {
        const w = validatePartialWildCard(h);
        if (w) v = appendWarning(v, w);
      }
    }
  }
  const addresses = list(se.addresses).map(str);
  let cidr = false;
  for (const a of addresses) {
    cidr ||= a.includes('/');
    v = appendValidation(v, validateIPSubnet(a));
  }
  if (cidr && resolution !== 'NONE' && resolution !== 'STATIC') v = appendValidation(v, 'CIDR addresses are allowed only for NONE/STATIC resolution types');

  // istiod allocates addresses itself unless resolution is NONE, the user opted out, or gave addresses.
  const optOut = (cfg.labels[autoAllocateLabel] ?? '').toLowerCase() === 'false' && autoAllocateLabel in cfg.labels;
  const autoAllocation = resolution !== 'NONE' && !optOut && addresses.length === 0;
  const portNumbers = new Set<number>();
  const portNames = new Set<string>();
  const ports = list(se.ports);
  for (const port of ports) {
    const name = str(port.name);
    if (portNames.has(name)) v = appendValidation(v, `service entry port name ${q(name)} already defined`);
    portNames.add(name);
    if (portNumbers.has(num(port.number))) v = appendValidation(v, `service entry port ${num(port.number)} already defined`);
    portNumbers.add(num(port.number));
    if (num(port.targetPort) !== 0) v = appendValidation(v, validatePort(num(port.targetPort)));
    if (addresses.length === 0 && !autoAllocation && (str(port.protocol) === '' || str(port.protocol) === 'TCP')) {
      v = appendWarning(v, 'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled');
    }
    v = appendValidation(v, validatePortName(name), validateProtocol(str(port.protocol)), validatePort(num(port.number)));
  }

  const endpoints = list(se.endpoints);
  switch (resolution) {
    case 'NONE':
      if (endpoints.length !== 0) v = appendValidation(v, 'no endpoints should be provided for resolution type none');
      if (se.workloadSelector != null) v = appendWarning(v, 'workloadSelector should not be set when resolution mode is NONE');
      break;
    case 'STATIC':
      for (const ep of endpoints) v = appendValidation(v, validateWorkloadEntry(ep, portNames));
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      if (endpoints.length === 0) {
        for (const h of hosts) {
          const err = validateFQDN(h);
          if (err) {
            v = appendValidation(v, `hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${resolution}, ${err}`);
            break;
          }
        }
      }
      if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) v = appendValidation(v, `there must only be 0 or 1 endpoint for resolution mode ${resolution}`);
      for (const ep of endpoints) {
        const addr = str(ep.address);
        if (!isValidIPAddress(addr) && validateFQDN(addr)) v = appendValidation(v, `endpoint address ${q(addr)} is not a valid FQDN or an IP address`);
        v = appendValidation(v, validateLabels(ep.labels));
        for (const [name, port] of Object.entries((ep.ports ?? {}) as Record<string, unknown>)) {
          if (!portNames.has(name)) v = appendValidation(v, `endpoint port ${num(port)} is not defined by the service entry`);
          v = appendValidation(v, validatePortName(name), validatePort(num(port)));
        }
      }
      if (addresses.length > 0) {
        for (const port of ports) {
          if (isTCP(parseProtocol(port.protocol))) {
            if (hosts.length > 1) v = appendWarning(v, 'service entry can not have more than one host specified simultaneously with address and tcp port');
            break;
          }
        }
      }
      break;
    case 'DYNAMIC_DNS': {
      if (hosts.length === 0) v = appendValidation(v, `at least one wildcard host must be provided for resolution type ${resolution}`);
      for (const h of hosts) if (!isWildcardHost(h)) v = appendValidation(v, `host must be wildcarded for resolution mode ${resolution}`);
      if (addresses.length !== 0) {
        v = appendValidation(v, `addresses cannot be set for resolution type ${resolution}. HTTP route domains will only be generatedfrom the hosts field values`);
      }
      if (endpoints.length !== 0) {
        v = appendValidation(v, `endpoints cannot be set for resolution type ${resolution}. Destination IP address determined from hostsfield values`);
      }
      for (const port of ports) {
        const p = parseProtocol(port.protocol);
        if (p !== 'HTTP' && p !== 'TLS' && p !== 'GRPC' && p !== 'HTTP2') {
          v = appendValidation(v, `only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type ${resolution}`);
        }
      }
      const location = str(se.location) || 'MESH_EXTERNAL';
      if (location !== 'MESH_EXTERNAL' && location !== 'MESH_INTERNAL') v = appendValidation(v, `location must be MESH_EXTERNAL or MESH_INTERNAL for resolution type ${resolution}`);
      const waypoint = cfg.labels[useWaypointLabel];
      if (location === 'MESH_INTERNAL' && waypoint && waypoint.toLowerCase() !== 'none') {
        v = appendValidation(v, `location MESH_INTERNAL with resolution type ${resolution} is not supported when using waypoints`);
      }
      break;
    }
    default:
      v = appendValidation(v, `unsupported resolution type ${resolution}`);
  }
  // Plain TCP cannot tell several hosts apart (HTTP has the authority, TLS the SNI), unless resolution is NONE.
  if (resolution !== 'NONE' && hosts.length > 1) {
    for (const port of ports) {
      const p = parseProtocol(port.protocol);
      if (!isHTTP(p) && !isTLS(p)) {
        v = appendValidation(v, 'multiple hosts provided with non-HTTP, non-TLS ports');
        break;
      }
    }
  }
  return appendValidation(v, validateExportTo(cfg.namespace, list(se.exportTo).map(str), true, false));
}
