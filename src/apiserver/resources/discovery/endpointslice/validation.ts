// Upstream validation for discovery.k8s.io/v1 EndpointSlices (pkg/apis/discovery/validation).
import {
  type FieldError,
  FieldPath,
  fieldDuplicate,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooMany,
} from '../../../../machinery/field-errors.ts';
import { nameIsDNSSubdomain, validateImmutableField, validateLabels } from '../../../../machinery/meta-validation.ts';
import { isDNS1123Label, isFullyQualifiedDomainName, isQualifiedName, isValidLabelValue } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { familyOfIP, parseIPv4 } from '../../core/service/addresses.ts';
import { supportedPortProtocols, validateNonSpecialIP } from '../../core/service/validation.ts';

const supportedAddressTypes = ['FQDN', 'IPv4', 'IPv6'];
const maxTopologyLabels = 16;
const maxAddresses = 100;
const maxPorts = 20000;
const maxEndpoints = 1000;
const maxZoneHints = 8;

const list = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const obj = (v: unknown): Record<string, any> => (v && typeof v === 'object' ? (v as Record<string, any>) : {});

function validateIPv4Address(path: FieldPath, value: string): FieldError[] {
  return parseIPv4(value) === undefined ? [fieldInvalid(path, value, 'must be a valid IPv4 address')] : [];
}

function validateIPv6Address(path: FieldPath, value: string): FieldError[] {
  return familyOfIP(value) !== 'IPv6' ? [fieldInvalid(path, value, 'must be a valid IPv6 address')] : [];
}

function validateHints(hints: Record<string, any>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const zonesPath = path.child('forZones');
  const zones = list(hints.forZones);
  if (zones.length > maxZoneHints) return [fieldTooMany(zonesPath, zones.length, maxZoneHints)];
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const name = String(obj(z).name ?? '');
    const p = zonesPath.index(i).child('name');
    if (seen.has(name)) errs.push(fieldDuplicate(p, name));
    else seen.add(name);
    for (const m of isValidLabelValue(name)) errs.push(fieldInvalid(p, name, m));
  });
  return errs;
}

function validateEndpoints(endpoints: unknown[], addressType: string, path: FieldPath): FieldError[] {
  if (endpoints.length > maxEndpoints) return [fieldTooMany(path, endpoints.length, maxEndpoints)];
  const errs: FieldError[] = [];
  endpoints.forEach((raw, i) => {
    const ep = obj(raw);
    const idx = path.index(i);
    const addressPath = idx.child('addresses');
    const addresses = list<string>(ep.addresses);
    if (addresses.length === 0) errs.push(fieldRequired(addressPath, 'must contain at least 1 address'));
    else if (addresses.length > maxAddresses) errs.push(fieldTooMany(addressPath, addresses.length, maxAddresses));
    addresses.forEach((address, j) => {
      const p = addressPath.index(j);
      const a = String(address);
      switch (addressType) {
        case 'IPv4':
          errs.push(...validateIPv4Address(p, a), ...validateNonSpecialIP(a, p));
          break;
        case 'IPv6':
          errs.push(...validateIPv6Address(p, a), ...validateNonSpecialIP(a, p));
          break;
        case 'FQDN':
          errs.push(...isFullyQualifiedDomainName(p, a));
          break;
      }
    });
    if (ep.nodeName != null) {
      for (const m of nameIsDNSSubdomain(String(ep.nodeName), false)) errs.push(fieldInvalid(idx.child('nodeName'), ep.nodeName, m));
    }
    const topologyPath = idx.child('deprecatedTopology');
    const topology = obj(ep.deprecatedTopology);
    if (Object.keys(topology).length > maxTopologyLabels) {
      errs.push(fieldTooMany(topologyPath, Object.keys(topology).length, maxTopologyLabels));
    }
    if (ep.deprecatedTopology != null) errs.push(...validateLabels(topology, topologyPath));
    if (ep.hostname != null) {
      for (const m of isDNS1123Label(String(ep.hostname))) errs.push(fieldInvalid(idx.child('hostname'), ep.hostname, m));
    }
    if (ep.hints != null) errs.push(...validateHints(obj(ep.hints), idx.child('hints')));
  });
  return errs;
}

function validatePorts(ports: unknown[], path: FieldPath): FieldError[] {
  if (ports.length > maxPorts) return [fieldTooMany(path, ports.length, maxPorts)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const port = obj(raw);
    const idx = path.index(i);
    const name = typeof port.name === 'string' ? port.name : '';
    if (name.length > 0) for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(idx.child('name'), name, m));
    if (names.has(name)) errs.push(fieldDuplicate(idx.child('name'), name));
    else names.add(name);
    if (port.protocol == null) errs.push(fieldRequired(idx.child('protocol')));
    else if (!(supportedPortProtocols as readonly string[]).includes(port.protocol)) {
      errs.push(fieldNotSupported(idx.child('protocol'), port.protocol, supportedPortProtocols));
    }
    if (port.appProtocol != null) {
      for (const m of isQualifiedName(String(port.appProtocol))) errs.push(fieldInvalid(idx.child('appProtocol'), port.appProtocol, m));
    }
  });
  return errs;
}

/** ValidateEndpointSlice without the object metadata (the generic store checks that). */
export function validateCreate(slice: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = slice.addressType;
  if (!addressType) errs.push(fieldRequired('addressType'));
  else if (!supportedAddressTypes.includes(addressType)) errs.push(fieldNotSupported('addressType', addressType, supportedAddressTypes));
  errs.push(...validateEndpoints(list(slice.endpoints), addressType ?? '', FieldPath.root('endpoints')));
  errs.push(...validatePorts(list(slice.ports), FieldPath.root('ports')));
  return errs;
}

/** ValidateEndpointSliceUpdate: addressType is immutable. */
export function validateUpdate(slice: KObject, old: KObject): FieldError[] {
  return [...validateCreate(slice), ...validateImmutableField(slice.addressType, old.addressType, FieldPath.root('addressType'))];
}
