// Upstream validation for core/v1 Endpoints (ValidateEndpoints in pkg/apis/core/validation).
import { type FieldError, FieldPath, fieldInvalid, fieldNotSupported, fieldRequired } from '../../../../machinery/field-errors.ts';
import { nameIsDNSSubdomain } from '../../../../machinery/meta-validation.ts';
import { isDNS1123Label, isQualifiedName, isValidIPForLegacyField, isValidPortNum } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { supportedPortProtocols, validateNonSpecialIP } from '../service/validation.ts';

const list = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const obj = (v: unknown): Record<string, any> => (v && typeof v === 'object' ? (v as Record<string, any>) : {});

function validateAddress(address: Record<string, any>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const ip = typeof address.ip === 'string' ? address.ip : '';
  errs.push(...isValidIPForLegacyField(path.child('ip'), ip, false));
  if (address.hostname) {
    for (const m of isDNS1123Label(String(address.hostname))) errs.push(fieldInvalid(path.child('hostname'), address.hostname, m));
  }
  if (address.nodeName != null) {
    for (const m of nameIsDNSSubdomain(String(address.nodeName), false)) errs.push(fieldInvalid(path.child('nodeName'), address.nodeName, m));
  }
  errs.push(...validateNonSpecialIP(ip, path.child('ip')));
  return errs;
}

function validatePort(port: Record<string, any>, requireName: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = typeof port.name === 'string' ? port.name : '';
  if (requireName && name.length === 0) errs.push(fieldRequired(path.child('name')));
  else if (name.length !== 0) for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(path.child('name'), name, m));
  const num = typeof port.port === 'number' ? port.port : 0;
  for (const m of isValidPortNum(num)) errs.push(fieldInvalid(path.child('port'), num, m));
  if (!port.protocol) errs.push(fieldRequired(path.child('protocol')));
  else if (!(supportedPortProtocols as readonly string[]).includes(port.protocol)) {
    errs.push(fieldNotSupported(path.child('protocol'), port.protocol, supportedPortProtocols));
  }
  if (port.appProtocol != null) {
    for (const m of isQualifiedName(String(port.appProtocol))) errs.push(fieldInvalid(path.child('appProtocol'), port.appProtocol, m));
  }
  return errs;
}

/** ValidateEndpoints without the object metadata (the generic store checks that). */
export function validateCreate(ep: KObject): FieldError[] {
  const errs: FieldError[] = [];
  list(ep.subsets).forEach((raw, i) => {
    const subset = obj(raw);
    const path = FieldPath.root('subsets').index(i);
    const addresses = list(subset.addresses);
    const notReady = list(subset.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) {
      errs.push(fieldRequired(path, 'must specify `addresses` or `notReadyAddresses`'));
    }
    addresses.forEach((a, j) => errs.push(...validateAddress(obj(a), path.child('addresses').index(j))));
    notReady.forEach((a, j) => errs.push(...validateAddress(obj(a), path.child('notReadyAddresses').index(j))));
    const ports = list(subset.ports);
    ports.forEach((p, j) => errs.push(...validatePort(obj(p), ports.length > 1, path.child('ports').index(j))));
  });
  return errs;
}

/** ValidateEndpointsUpdate: the same rules; node names may change when addresses are reused. */
export function validateUpdate(ep: KObject, _old: KObject): FieldError[] {
  return validateCreate(ep);
}
