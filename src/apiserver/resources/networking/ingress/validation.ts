// Upstream validation for networking.k8s.io/v1 Ingresses (pkg/apis/networking/validation).
import {
  type FieldError,
  FieldPath,
  GoRepr,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
} from '../../../../machinery/field-errors.ts';
import { nameIsDNS1035Label, nameIsDNSSubdomain } from '../../../../machinery/meta-validation.ts';
import {
  isDNS1123Subdomain,
  isPathSegmentName,
  isValidIPForLegacyField,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { familyOfIP } from '../../core/service/addresses.ts';

export const annotationIngressClass = 'kubernetes.io/ingress.class';

const supportedPathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];
const invalidPathSequences = ['//', '/./', '/../', '%2f', '%2F'];
const invalidPathSuffixes = ['/..', '/.'];

interface Options {
  /** Keep accepting secret names an older object was stored with. */
  allowInvalidSecretName: boolean;
  /** Keep accepting wildcard-host rules an older object was stored with. */
  allowInvalidWildcardHostRule: boolean;
}

const list = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const obj = (v: unknown): Record<string, any> => (v && typeof v === 'object' ? (v as Record<string, any>) : {});
const isIP = (s: string) => familyOfIP(s) !== 'unknown';

/** An IngressBackend points at a Service port (by name or number) or at a typed object, never both. */
export function validateIngressBackend(backend: Record<string, any>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = backend.resource != null;
  const hasService = backend.service != null;
  if (hasResource && hasService) return [fieldInvalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateTypedLocalObjectReference(obj(backend.resource), path.child('resource'));
  if (!hasService) return [fieldInvalid(path, '', 'resource or service backend is required')];

  const service = obj(backend.service);
  const name = typeof service.name === 'string' ? service.name : '';
  if (name.length === 0) errs.push(fieldRequired(path.child('service', 'name')));
  else for (const m of nameIsDNS1035Label(name, false)) errs.push(fieldInvalid(path.child('service', 'name'), name, m));

  const port = obj(service.port);
  const portName = typeof port.name === 'string' ? port.name : '';
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName.length > 0 && portNumber !== 0) {
    errs.push(fieldInvalid(path, '', 'cannot set both port name & port number'));
  } else if (portName.length > 0) {
    for (const m of isValidPortName(portName)) errs.push(fieldInvalid(path.child('service', 'port', 'name'), portName, m));
  } else if (portNumber !== 0) {
    for (const m of isValidPortNum(portNumber)) errs.push(fieldInvalid(path.child('service', 'port', 'number'), portNumber, m));
  } else {
    errs.push(fieldRequired(path, 'port name or number is required'));
  }
  return errs;
}

function validateTypedLocalObjectReference(ref: Record<string, any>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup != null) {
    for (const m of isDNS1123Subdomain(String(ref.apiGroup))) errs.push(fieldInvalid(path.child('apiGroup'), ref.apiGroup, m));
  }
  for (const field of ['kind', 'name']) {
    const v = typeof ref[field] === 'string' ? ref[field] : '';
    if (v === '') errs.push(fieldRequired(path.child(field)));
    else for (const m of isPathSegmentName(v)) errs.push(fieldInvalid(path.child(field), v, m));
  }
  return errs;
}

function validateHTTPIngressPath(p: Record<string, any>, path: FieldPath): FieldError[] {
  if (p.pathType == null) return [fieldRequired(path.child('pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const value = typeof p.path === 'string' ? p.path : '';
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(fieldInvalid(path.child('path'), value, 'must be an absolute path'));
      if (value.length > 0) {
        for (const seq of invalidPathSequences) {
          if (value.includes(seq)) errs.push(fieldInvalid(path.child('path'), value, `must not contain '${seq}'`));
        }
        for (const suffix of invalidPathSuffixes) {
          if (value.endsWith(suffix)) errs.push(fieldInvalid(path.child('path'), value, `cannot end with '${suffix}'`));
        }
      }
      break;
    case 'ImplementationSpecific':
      if (value.length > 0 && !value.startsWith('/')) errs.push(fieldInvalid(path.child('path'), value, 'must be an absolute path'));
      break;
    default:
      errs.push(fieldNotSupported(path.child('pathType'), p.pathType, supportedPathTypes));
  }
  errs.push(...validateIngressBackend(obj(p.backend), path.child('backend')));
  return errs;
}

function validateRuleValue(rule: Record<string, any>, path: FieldPath): FieldError[] {
  if (rule.http == null) return [];
  const errs: FieldError[] = [];
  const httpPath = path.child('http');
  const paths = list(obj(rule.http).paths);
  if (paths.length === 0) errs.push(fieldRequired(httpPath.child('paths')));
  paths.forEach((p, i) => errs.push(...validateHTTPIngressPath(obj(p), httpPath.child('paths').index(i))));
  return errs;
}

function validateRules(rules: unknown[], path: FieldPath, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((raw, i) => {
    const rule = obj(raw);
    const hostPath = path.index(i).child('host');
    const host = typeof rule.host === 'string' ? rule.host : '';
    let wildcard = false;
    if (host.length > 0) {
      if (isIP(host)) errs.push(fieldInvalid(hostPath, host, 'must be a DNS name, not an IP address'));
      if (host.includes('*')) {
        for (const m of isWildcardDNS1123Subdomain(host)) errs.push(fieldInvalid(hostPath, host, m));
        wildcard = true;
      } else {
        for (const m of isDNS1123Subdomain(host)) errs.push(fieldInvalid(hostPath, host, m));
      }
    }
    if (!wildcard || !opts.allowInvalidWildcardHostRule) errs.push(...validateRuleValue(rule, path.index(i)));
  });
  return errs;
}

function validateTLS(tls: unknown[], path: FieldPath, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((raw, i) => {
    const entry = obj(raw);
    list<string>(entry.hosts).forEach((host, j) => {
      const h = String(host);
      const msgs = h.includes('*') ? isWildcardDNS1123Subdomain(h) : isDNS1123Subdomain(h);
      for (const m of msgs) errs.push(fieldInvalid(path.index(i).child('hosts').index(j), h, m));
    });
    if (!opts.allowInvalidSecretName) {
      for (const m of secretNameProblems(entry.secretName)) errs.push(fieldInvalid(path.index(i).child('secretName'), entry.secretName, m));
    }
  });
  return errs;
}

function secretNameProblems(name: unknown): string[] {
  return typeof name === 'string' && name.length > 0 ? nameIsDNSSubdomain(name, false) : [];
}

/** ValidateIngressSpec. */
function validateSpec(spec: Record<string, any>, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('spec');
  const rules = list(spec.rules);
  if (rules.length === 0 && spec.defaultBackend == null) {
    const repr = new GoRepr(Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)');
    errs.push(fieldInvalid(path, repr, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend != null) errs.push(...validateIngressBackend(obj(spec.defaultBackend), path.child('defaultBackend')));
  if (rules.length > 0) errs.push(...validateRules(rules, path.child('rules'), opts));
  if (list(spec.tls).length > 0) errs.push(...validateTLS(list(spec.tls), path.child('tls'), opts));
  if (spec.ingressClassName != null) {
    const name = String(spec.ingressClassName);
    for (const m of nameIsDNSSubdomain(name, false)) errs.push(fieldInvalid(path.child('ingressClassName'), name, m));
  }
  return errs;
}

/** ValidateIngressCreate without the object metadata (the generic store checks that). */
export function validateCreate(ing: KObject): FieldError[] {
  const errs = validateSpec(obj(ing.spec), { allowInvalidSecretName: false, allowInvalidWildcardHostRule: false });
  const annotations: Record<string, string> = ing.metadata?.annotations ?? {};
  const className = ing.spec?.ingressClassName;
  if (annotationIngressClass in annotations && className != null && annotations[annotationIngressClass] !== className) {
    errs.push(
      fieldInvalid(
        FieldPath.root('annotations').child(annotationIngressClass),
        annotations[annotationIngressClass],
        'must match `ingressClassName` when both are specified',
      ),
    );
  }
  return errs;
}

/** ValidateIngressLoadBalancerStatus, for writes that carry a new status. */
export function validateLoadBalancerStatus(ing: KObject, old?: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const existing = list(old?.status?.loadBalancer?.ingress).map((i) => i?.ip).filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  const path = FieldPath.root('status').child('loadBalancer').child('ingress');
  list(ing.status?.loadBalancer?.ingress).forEach((raw, i) => {
    const entry = obj(raw);
    if (entry.ip) errs.push(...isValidIPForLegacyField(path.index(i).child('ip'), String(entry.ip), false, existing));
    if (entry.hostname) {
      const host = String(entry.hostname);
      for (const m of isDNS1123Subdomain(host)) errs.push(fieldInvalid(path.index(i).child('hostname'), host, m));
      if (isIP(host)) errs.push(fieldInvalid(path.index(i).child('hostname'), host, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** ValidateIngressUpdate: the same rules, with allowances for invalid values the stored object already had. */
export function validateUpdate(ing: KObject, old: KObject): FieldError[] {
  const oldSpec = obj(old.spec);
  const opts: Options = {
    allowInvalidSecretName: list(oldSpec.tls).some((t) => secretNameProblems(obj(t).secretName).length > 0),
    allowInvalidWildcardHostRule: list(oldSpec.rules).some((r) => {
      const rule = obj(r);
      return typeof rule.host === 'string' && rule.host.includes('*') && validateRuleValue(rule, new FieldPath()).length > 0;
    }),
  };
  const errs = validateSpec(obj(ing.spec), opts);
  if (JSON.stringify(ing.status ?? null) !== JSON.stringify(old.status ?? null)) errs.push(...validateLoadBalancerStatus(ing, old));
  return errs;
}
