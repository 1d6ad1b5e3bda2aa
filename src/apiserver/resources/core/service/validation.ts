// Upstream validation for core/v1 Services (ValidateService and friends in pkg/apis/core/validation).
import {
  type FieldError,
  FieldPath,
  GoRepr,
  fieldDuplicate,
  fieldForbidden,
  fieldInternal,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
} from '../../../../machinery/field-errors.ts';
import { validateLabels } from '../../../../machinery/meta-validation.ts';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidCIDRForLegacyField,
  isValidIPForLegacyField,
  isValidPortName,
  isValidPortNum,
} from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { familyOfIP, specialIPProblems } from './addresses.ts';
import { externallyAccessible } from './defaults.ts';

/** core.MaxClientIPServiceAffinitySeconds: one day. */
export const maxClientIPAffinitySeconds = 86400;

export const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'] as const;
const supportedSessionAffinity = ['ClientIP', 'None'];
const supportedServiceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const supportedTrafficPolicies = ['Cluster', 'Local'];
const supportedIPFamilies = ['IPv4', 'IPv6'];
const supportedIPFamilyPolicies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

const annotationTopologyAwareHints = 'service.kubernetes.io/topology-aware-hints';
const annotationTopologyMode = 'service.kubernetes.io/topology-mode';
const annotationSourceRanges = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** Strict IP syntax is behind the StrictIPCIDRValidation gate, off in 1.33. */
const strictIPValidation = false;

const spec = (svc: KObject): Record<string, any> => (svc.spec && typeof svc.spec === 'object' ? svc.spec : {});
const list = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** A Service whose clusterIPs is exactly `["None"]`. */
export function isHeadlessService(svc: KObject): boolean {
  const ips = list<string>(spec(svc).clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
}

/** LoadBalancer Services with externalTrafficPolicy Local get a health-check node port. */
export function needsHealthCheck(svc: KObject): boolean {
  return spec(svc).type === 'LoadBalancer' && spec(svc).externalTrafficPolicy === 'Local';
}

/** ValidateNonSpecialIP: addresses that make no sense as an external or endpoint IP. */
export function validateNonSpecialIP(ip: string, path: FieldPath): FieldError[] {
  const problems = specialIPProblems(ip);
  if (problems === undefined) return [fieldInvalid(path, ip, 'must be a valid IP address')];
  return problems.map((p) => fieldInvalid(path, ip, p));
}

/** ValidatePortNumOrName for an IntOrString. */
export function validatePortNumOrName(port: unknown, path: FieldPath): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fieldInvalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => fieldInvalid(path, port, m));
  return [fieldInternal(path, new Error(`unknown type: ${typeof port}`))];
}

function validateDNS1123Label(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((m) => fieldInvalid(path, value, m));
}

function validateQualifiedName(value: string, path: FieldPath): FieldError[] {
  return isQualifiedName(value).map((m) => fieldInvalid(path, value, m));
}

/** Go's %#v of core.ServicePort{Protocol, Port}, the value of a duplicate-port error. */
function servicePortRepr(protocol: string, port: number): GoRepr {
  return new GoRepr(
    `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
      `TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validateServicePort(sp: Record<string, any>, requireName: boolean, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name: string = typeof sp.name === 'string' ? sp.name : '';
  if (requireName && name.length === 0) {
    errs.push(fieldRequired(path.child('name')));
  } else if (name.length !== 0) {
    errs.push(...validateDNS1123Label(name, path.child('name')));
    if (names.has(name)) errs.push(fieldDuplicate(path.child('name'), name));
    else names.add(name);
  }
  for (const m of isValidPortNum(num(sp.port))) errs.push(fieldInvalid(path.child('port'), num(sp.port), m));
  if (!sp.protocol) errs.push(fieldRequired(path.child('protocol')));
  else if (!(supportedPortProtocols as readonly string[]).includes(sp.protocol)) {
    errs.push(fieldNotSupported(path.child('protocol'), sp.protocol, supportedPortProtocols));
  }
  errs.push(...validatePortNumOrName(sp.targetPort, path.child('targetPort')));
  if (sp.appProtocol != null) errs.push(...validateQualifiedName(String(sp.appProtocol), path.child('appProtocol')));
  return errs;
}

function validateClientIPAffinityConfig(config: any, path: FieldPath): FieldError[] {
  const detail = 'when session affinity type is ClientIP';
  if (config == null) return [fieldRequired(path, detail)];
  if (config.clientIP == null) return [fieldRequired(path.child('clientIP'), detail)];
  const timeout = config.clientIP.timeoutSeconds;
  const timeoutPath = path.child('clientIP', 'timeoutSeconds');
  if (timeout == null) return [fieldRequired(timeoutPath, detail)];
  if (!(timeout > 0) || timeout > maxClientIPAffinitySeconds) {
    return [fieldInvalid(timeoutPath, timeout, `must be greater than 0 and less than ${maxClientIPAffinitySeconds}`)];
  }
  return [];
}

/**
 * ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs agreement, ipFamilies and ipFamilyPolicy values.
 * Also run by the allocator before it trusts these fields.
 */
export function validateClusterIPsRelatedFields(svc: KObject): FieldError[] {
  const s = spec(svc);
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const clusterIPsPath = FieldPath.root('spec').child('clusterIPs');
  const familiesPath = FieldPath.root('spec').child('ipFamilies');
  const clusterIP: string = typeof s.clusterIP === 'string' ? s.clusterIP : '';
  const clusterIPs = list<string>(s.clusterIPs);
  const families = list<string>(s.ipFamilies);

  if (clusterIP.length !== 0) {
    if (clusterIPs.length === 0) errs.push(fieldRequired(clusterIPsPath));
    else if (clusterIPs[0] !== clusterIP) errs.push(fieldInvalid(clusterIPsPath, clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length !== 0) {
    errs.push(fieldInvalid(clusterIPsPath, clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }

  const seen = new Set<string>();
  families.forEach((fam, i) => {
    if (!supportedIPFamilies.includes(fam)) errs.push(fieldNotSupported(familiesPath.index(i), fam, supportedIPFamilies));
    if (seen.has(fam)) errs.push(fieldDuplicate(familiesPath.index(i), fam));
    seen.add(fam);
  });

  if (s.ipFamilyPolicy != null && !supportedIPFamilyPolicies.includes(s.ipFamilyPolicy)) {
    errs.push(fieldNotSupported(FieldPath.root('spec').child('ipFamilyPolicy'), s.ipFamilyPolicy, supportedIPFamilyPolicies));
  }

  let hasInvalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        hasInvalidIPs = true;
        errs.push(fieldInvalid(clusterIPsPath, clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = isValidIPForLegacyField(clusterIPsPath.index(i), String(ip), strictIPValidation);
    if (ipErrs.length) hasInvalidIPs = true;
    errs.push(...ipErrs);
  });
  if (clusterIPs.length > 2) errs.push(fieldInvalid(clusterIPsPath, clusterIPs, 'may only hold up to 2 values'));
  if (hasInvalidIPs) return errs;

  if (clusterIPs.length > 1) {
    const fams = new Set(clusterIPs.map((ip) => familyOfIP(ip)));
    if (!(clusterIPs.length === 2 && fams.size === 2)) {
      errs.push(fieldInvalid(clusterIPsPath, clusterIPs, 'may specify no more than one IP for each IP family'));
    }
  }

  if (!isHeadlessService(svc) && clusterIPs.length > 0 && families.length > 0) {
    for (let i = 0; i < clusterIPs.length && i < families.length; i++) {
      const v6 = familyOfIP(clusterIPs[i]) === 'IPv6';
      if (families[i] === 'IPv4' && v6) {
        errs.push(fieldInvalid(clusterIPsPath.index(i), clusterIPs[i], `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === 'IPv6' && !v6) {
        errs.push(fieldInvalid(clusterIPsPath.index(i), clusterIPs[i], `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    }
  }
  return errs;
}

function validateLoadBalancerClass(svc: KObject, old?: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('spec').child('loadBalancerClass');
  const cls = spec(svc).loadBalancerClass;
  if (old && spec(old).type === 'LoadBalancer' && spec(svc).type === 'LoadBalancer' && (spec(old).loadBalancerClass ?? null) !== (cls ?? null)) {
    errs.push(fieldInvalid(path, cls ?? null, 'may not change once set'));
  }
  if (spec(svc).type === 'LoadBalancer') {
    if (cls != null) errs.push(...validateQualifiedName(String(cls), path));
  } else if (cls != null) {
    errs.push(fieldForbidden(path, "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateExternalTrafficPolicy(svc: KObject, allocationPending: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(svc);
  const specPath = FieldPath.root('spec');
  if (!externallyAccessible(svc)) {
    if (s.externalTrafficPolicy) {
      errs.push(fieldInvalid(specPath.child('externalTrafficPolicy'), s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    }
  } else if (!s.externalTrafficPolicy) {
    errs.push(fieldRequired(specPath.child('externalTrafficPolicy')));
  } else if (!supportedTrafficPolicies.includes(s.externalTrafficPolicy)) {
    errs.push(fieldNotSupported(specPath.child('externalTrafficPolicy'), s.externalTrafficPolicy, supportedTrafficPolicies));
  }
  const hc = num(s.healthCheckNodePort);
  if (!needsHealthCheck(svc)) {
    if (hc !== 0) {
      errs.push(
        fieldInvalid(specPath.child('healthCheckNodePort'), hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"),
      );
    }
  } else if (hc === 0) {
    // Upstream allocates before it validates; here the allocator runs after validation and fills it.
    if (!allocationPending) errs.push(fieldRequired(specPath.child('healthCheckNodePort')));
  } else {
    for (const m of isValidPortNum(hc)) errs.push(fieldInvalid(specPath.child('healthCheckNodePort'), hc, m));
  }
  return errs;
}

function validateSourceRanges(svc: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(svc);
  const ranges = list<string>(s.loadBalancerSourceRanges);
  const annotations = svc.metadata?.annotations ?? {};
  const forbidden = "may only be used when `type` is 'LoadBalancer'";
  if (ranges.length > 0) {
    // Upstream spells this path with a capital L.
    const path = FieldPath.root('spec').child('LoadBalancerSourceRanges');
    if (s.type !== 'LoadBalancer') errs.push(fieldForbidden(path, forbidden));
    ranges.forEach((r, i) => errs.push(...isValidCIDRForLegacyField(path.index(i), String(r).trim(), strictIPValidation)));
  } else if (annotationSourceRanges in annotations) {
    const path = FieldPath.root('metadata').child('annotations').key(annotationSourceRanges);
    if (s.type !== 'LoadBalancer') errs.push(fieldForbidden(path, forbidden));
    const val = String(annotations[annotationSourceRanges]).trim();
    if (val !== '') {
      for (const r of val.split(',')) errs.push(...isValidCIDRForLegacyField(path, r.trim(), strictIPValidation));
    }
  }
  return errs;
}

/**
 * ValidateService without the object metadata (the generic store checks that). `allocationPending` marks a
 * write whose allocator has not run yet, so fields it fills in may still be empty.
 */
export function validateService(svc: KObject, allocationPending = true): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(svc);
  const specPath = FieldPath.root('spec');
  const annotations: Record<string, string> = svc.metadata?.annotations ?? {};

  if (annotationTopologyMode in annotations && annotationTopologyAwareHints in annotations) {
    const mode = annotations[annotationTopologyMode];
    if (mode !== annotations[annotationTopologyAwareHints]) {
      errs.push(
        fieldInvalid(
          FieldPath.root('metadata').child('annotations').key(annotationTopologyMode),
          mode,
          `must match annotations[${annotationTopologyAwareHints}] when both are specified`,
        ),
      );
    }
  }

  const ports = list<Record<string, any>>(s.ports).map((p) => (p && typeof p === 'object' ? p : {}));
  const headless = isHeadlessService(svc);
  if (ports.length === 0 && !headless && s.type !== 'ExternalName') errs.push(fieldRequired(specPath.child('ports')));

  const clusterIPs = list<string>(s.clusterIPs);
  switch (s.type) {
    case 'LoadBalancer':
      if (headless) errs.push(fieldInvalid(specPath.child('clusterIPs').index(0), clusterIPs[0], "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (headless) errs.push(fieldInvalid(specPath.child('clusterIPs').index(0), clusterIPs[0], "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      const forbidden = 'may not be set for ExternalName services';
      if (clusterIPs.length > 0) errs.push(fieldForbidden(specPath.child('clusterIPs'), forbidden));
      if (list(s.ipFamilies).length > 0) errs.push(fieldForbidden(specPath.child('ipFamilies'), forbidden));
      if (s.ipFamilyPolicy != null) errs.push(fieldForbidden(specPath.child('ipFamilyPolicy'), forbidden));
      // The value (a CNAME) may end in a dot to mark it fully qualified.
      const cname = String(s.externalName ?? '').replace(/\.$/, '');
      if (cname.length > 0) {
        for (const m of isDNS1123Subdomain(cname)) errs.push(fieldInvalid(specPath.child('externalName'), cname, m));
      } else {
        errs.push(fieldRequired(specPath.child('externalName')));
      }
      break;
    }
  }

  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, specPath.child('ports').index(i))));

  if (s.selector != null) errs.push(...validateLabels(s.selector, specPath.child('selector')));

  if (!s.sessionAffinity) {
    errs.push(fieldRequired(specPath.child('sessionAffinity')));
  } else if (!supportedSessionAffinity.includes(s.sessionAffinity)) {
    errs.push(fieldNotSupported(specPath.child('sessionAffinity'), s.sessionAffinity, supportedSessionAffinity));
  }
  if (s.sessionAffinity === 'ClientIP') {
    errs.push(...validateClientIPAffinityConfig(s.sessionAffinityConfig, specPath.child('sessionAffinityConfig')));
  } else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig != null) {
    errs.push(fieldForbidden(specPath.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  }

  errs.push(...validateClusterIPsRelatedFields(svc));

  list<string>(s.externalIPs).forEach((ip, i) => {
    const path = specPath.child('externalIPs').index(i);
    const ipErrs = isValidIPForLegacyField(path, String(ip), strictIPValidation);
    errs.push(...(ipErrs.length ? ipErrs : validateNonSpecialIP(String(ip), path)));
  });

  if (!s.type) errs.push(fieldRequired(specPath.child('type')));
  else if (!supportedServiceTypes.includes(s.type)) errs.push(fieldNotSupported(specPath.child('type'), s.type, supportedServiceTypes));

  if (s.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (num(p.nodePort) !== 0) errs.push(fieldForbidden(specPath.child('ports').index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }

  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (num(p.nodePort) === 0) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(fieldDuplicate(specPath.child('ports').index(i).child('nodePort'), p.nodePort));
    nodePorts.add(key);
  });

  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol ?? ''}/${num(p.port)}`;
    if (seenPorts.has(key)) errs.push(fieldDuplicate(specPath.child('ports').index(i), servicePortRepr(p.protocol ?? '', num(p.port))));
    seenPorts.add(key);
  });

  errs.push(...validateSourceRanges(svc));

  if (s.allocateLoadBalancerNodePorts != null && s.type !== 'LoadBalancer') {
    errs.push(fieldForbidden(specPath.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts == null) {
    // Upstream reports this one without the `spec.` prefix.
    errs.push(fieldRequired('allocateLoadBalancerNodePorts'));
  }

  errs.push(...validateLoadBalancerClass(svc));
  errs.push(...validateExternalTrafficPolicy(svc, allocationPending));

  if (s.internalTrafficPolicy == null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type)) errs.push(fieldRequired(specPath.child('internalTrafficPolicy')));
  } else if (!supportedTrafficPolicies.includes(s.internalTrafficPolicy)) {
    errs.push(fieldNotSupported(specPath.child('internalTrafficPolicy'), s.internalTrafficPolicy, supportedTrafficPolicies));
  }

  if (s.trafficDistribution != null && s.trafficDistribution !== 'PreferClose') {
    errs.push(fieldNotSupported(specPath.child('trafficDistribution'), s.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

export function validateCreate(svc: KObject): FieldError[] {
  return validateService(svc);
}

/** validateUpgradeDowngradeClusterIPs: the primary cluster IP never changes once set. */
function validateClusterIPsUpdate(old: KObject, svc: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (spec(svc).type === 'ExternalName' || spec(old).type === 'ExternalName') return errs;
  if (isHeadlessService(old) && isHeadlessService(svc)) return errs;
  const oldIPs = list<string>(spec(old).clusterIPs);
  const newIPs = list<string>(spec(svc).clusterIPs);
  const first = FieldPath.root('spec').child('clusterIPs').index(0);
  if (oldIPs.length === newIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== newIPs[i]) errs.push(fieldInvalid(FieldPath.root('spec').child('clusterIPs').index(i), newIPs, 'may not change once set'));
    });
  } else if (oldIPs.length > newIPs.length) {
    if (newIPs.length === 0) errs.push(fieldInvalid(first, newIPs, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && newIPs.length > 0 && newIPs[0] !== oldIPs[0]) errs.push(fieldInvalid(first, newIPs, 'may not change once set'));
    if (newIPs.length === 1 && spec(svc).ipFamilyPolicy !== 'SingleStack') {
      errs.push(
        fieldInvalid(
          FieldPath.root('spec').child('ipFamilyPolicy'),
          spec(svc).ipFamilyPolicy ?? null,
          "must be set to 'SingleStack' when releasing the secondary clusterIP",
        ),
      );
    }
  } else if (oldIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
    errs.push(fieldInvalid(first, newIPs, 'may not change once set'));
  }
  return errs;
}

/** validateUpgradeDowngradeIPFamilies: the primary family never changes once set. */
function validateIPFamiliesUpdate(old: KObject, svc: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (spec(svc).type === 'ExternalName' || spec(old).type === 'ExternalName') return errs;
  if (isHeadlessService(old) || isHeadlessService(svc)) return errs;
  const oldFams = list<string>(spec(old).ipFamilies);
  const newFams = list<string>(spec(svc).ipFamilies);
  const first = FieldPath.root('spec').child('ipFamilies').index(0);
  if (oldFams.length === newFams.length) {
    oldFams.forEach((fam, i) => {
      if (fam !== newFams[i]) errs.push(fieldInvalid(first, newFams, 'may not change once set'));
    });
  } else if (oldFams.length > newFams.length) {
    if (list(spec(svc).clusterIPs).length === 0) errs.push(fieldInvalid(first, newFams, 'primary ipFamily can not be unset'));
    if (newFams.length > 0 && newFams[0] !== oldFams[0]) errs.push(fieldInvalid(first, list(spec(svc).clusterIPs), 'may not change once set'));
    if (newFams.length === 1 && spec(svc).ipFamilyPolicy !== 'SingleStack') {
      errs.push(
        fieldInvalid(
          FieldPath.root('spec').child('ipFamilyPolicy'),
          spec(svc).ipFamilyPolicy ?? null,
          "must be set to 'SingleStack' when releasing the secondary ipFamily",
        ),
      );
    }
  } else if (oldFams.length > 0 && newFams.length > 0 && newFams[0] !== oldFams[0]) {
    errs.push(fieldInvalid(first, list(spec(svc).clusterIPs), 'may not change once set'));
  }
  return errs;
}

const supportedIPModes = ['Proxy', 'VIP'];

/** ValidateLoadBalancerStatus, for writes that carry a new status. */
export function validateLoadBalancerStatus(svc: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const ingress = list<Record<string, any>>(svc.status?.loadBalancer?.ingress);
  const path = FieldPath.root('status').child('loadBalancer').child('ingress');
  if (spec(svc).type !== 'LoadBalancer' && ingress.length !== 0) {
    return [fieldForbidden(path, "may only be used when `spec.type` is 'LoadBalancer'")];
  }
  ingress.forEach((ing, i) => {
    const p = path.index(i);
    if (ing?.ip) errs.push(...isValidIPForLegacyField(p.child('ip'), String(ing.ip), strictIPValidation));
    if (ing?.ipMode != null && !ing?.ip) errs.push(fieldForbidden(p.child('ipMode'), 'may not be specified when `ip` is not set'));
    else if (ing?.ipMode != null && !supportedIPModes.includes(ing.ipMode)) errs.push(fieldNotSupported(p.child('ipMode'), ing.ipMode, supportedIPModes));
    if (ing?.hostname) {
      const host = String(ing.hostname);
      for (const m of isDNS1123Subdomain(host)) errs.push(fieldInvalid(p.child('hostname'), host, m));
      if (familyOfIP(host) !== 'unknown') errs.push(fieldInvalid(p.child('hostname'), host, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/** ValidateServiceUpdate without the metadata checks; a changed status is checked like the status subresource. */
export function validateUpdate(svc: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateClusterIPsUpdate(old, svc));
  errs.push(...validateIPFamiliesUpdate(old, svc));
  errs.push(...validateLoadBalancerClass(svc, old).filter((e) => e.detail === 'may not change once set'));
  if (needsHealthCheck(old) && needsHealthCheck(svc) && num(spec(svc).healthCheckNodePort) !== num(spec(old).healthCheckNodePort)) {
    errs.push(fieldForbidden(FieldPath.root('spec').child('healthCheckNodePort'), 'field is immutable'));
  }
  errs.push(...validateService(svc));
  if (JSON.stringify(svc.status ?? null) !== JSON.stringify(old.status ?? null)) errs.push(...validateLoadBalancerStatus(svc));
  return errs;
}
