// The Service strategy: upstream defaulting, preparation, validation, warnings and field selectors for core/v1 Services.
import { isDeepStrictEqual } from 'node:util';
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { normalizeClusterIPs, patchAllocatedValues } from './allocator.ts';
import { warningsForIP } from './addresses.ts';
import { printer } from './columns.ts';
import { externallyAccessible, setDefaults } from './defaults.ts';
import { needsHealthCheck, validateCreate, validateUpdate } from './validation.ts';

const annotationTopologyAwareHints = 'service.kubernetes.io/topology-aware-hints';
const annotationTopologyMode = 'service.kubernetes.io/topology-mode';

const list = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
/** reflect.DeepEqual on what survives a JSON round trip: key order and undefined members do not count. */
const sameJSON = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
const needsNodePort = (svc: KObject) => svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
const nodePorts = (svc: KObject) =>
  new Set(list<Record<string, any>>(svc.spec?.ports).map((p) => p?.nodePort).filter((n) => typeof n === 'number' && n !== 0));

/** The empty ServiceStatus, which Go always serializes with its load balancer member. */
const emptyStatus = () => ({ loadBalancer: {} });

/**
 * Upstream dropTypeDependentFields: when the type changes, clear what the old type needed and the user did
 * not touch, so that a manifest switching NodePort to ClusterIP does not trip over its old node ports.
 */
export function dropTypeDependentFields(svc: KObject, old: KObject): void {
  const s = svc.spec;
  const o = old.spec ?? {};
  if (o.type !== 'ExternalName' && s.type === 'ExternalName') {
    if ((o.clusterIP ?? '') === (s.clusterIP ?? '') && sameJSON(list(o.clusterIPs), list(s.clusterIPs))) {
      delete s.clusterIP;
      delete s.clusterIPs;
    }
    if (sameJSON(o.ipFamilies, s.ipFamilies)) delete s.ipFamilies;
    if ((o.ipFamilyPolicy ?? '') === (s.ipFamilyPolicy ?? '')) delete s.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc)) {
    const before = nodePorts(old);
    if ([...nodePorts(svc)].every((p) => before.has(p))) {
      for (const p of list<Record<string, any>>(s.ports)) if (p && typeof p === 'object') delete p.nodePort;
    }
  }
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && (o.healthCheckNodePort ?? 0) === (s.healthCheckNodePort ?? 0)) {
    delete s.healthCheckNodePort;
  }
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (s.allocateLoadBalancerNodePorts != null && o.allocateLoadBalancerNodePorts === s.allocateLoadBalancerNodePorts) {
      delete s.allocateLoadBalancerNodePorts;
    }
    if ((o.loadBalancerClass ?? null) === (s.loadBalancerClass ?? null)) delete s.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && (o.externalTrafficPolicy ?? '') === (s.externalTrafficPolicy ?? '')) {
    delete s.externalTrafficPolicy;
  }
  if (s.type !== 'LoadBalancer') svc.status = { ...(svc.status ?? {}), loadBalancer: {} };
}

/** Upstream GetWarningsForService. */
export function serviceWarnings(svc: KObject): string[] {
  const s = svc.spec ?? {};
  const warnings: string[] = [];
  const annotations = svc.metadata?.annotations ?? {};
  if (annotationTopologyAwareHints in annotations) {
    warnings.push(`annotation ${annotationTopologyAwareHints} is deprecated, please use ${annotationTopologyMode} instead`);
  }
  if (s.clusterIP && s.clusterIP !== 'None') {
    list<string>(s.clusterIPs).forEach((ip, i) => warnings.push(...warningsForIP(`spec.clusterIPs[${i}]`, String(ip))));
  }
  const headless = s.type === 'ClusterIP' && s.clusterIP === 'None';
  if (headless) {
    if (s.loadBalancerIP) warnings.push('spec.loadBalancerIP is ignored for headless services');
    if (list(s.externalIPs).length > 0) warnings.push('spec.externalIPs is ignored for headless services');
    if (s.sessionAffinity !== 'None') warnings.push('spec.SessionAffinity is ignored for headless services');
  }
  list<string>(s.externalIPs).forEach((ip, i) => warnings.push(...warningsForIP(`spec.externalIPs[${i}]`, String(ip))));
  if (s.loadBalancerIP) warnings.push(...warningsForIP('spec.loadBalancerIP', String(s.loadBalancerIP)));
  if (s.type === 'ExternalName' && list(s.externalIPs).length > 0) warnings.push('spec.externalIPs is ignored when spec.type is "ExternalName"');
  if (s.type !== 'ExternalName' && s.externalName) warnings.push('spec.externalName is ignored when spec.type is not "ExternalName"');
  return warnings;
}

export const strategy: Strategy = {
  defaults: setDefaults,
  prepareForCreate(svc) {
    svc.status = emptyStatus();
    normalizeClusterIPs(svc);
  },
  prepareForUpdate(svc, old) {
    svc.status = structuredClone(old.status ?? emptyStatus());
    // Upstream does these two in beginUpdate, before validation: a client resubmitting its manifest keeps
    // the cluster IP and node ports it was given.
    patchAllocatedValues(svc, old);
    normalizeClusterIPs(svc, old);
    dropTypeDependentFields(svc, old);
  },
  validate: validateCreate,
  validateUpdate,
  warnings: (svc) => serviceWarnings(svc),
  nameValidation: 'dns1035Label',
  printer,
  selectableFields: (svc) => ({ 'spec.clusterIP': svc.spec?.clusterIP ?? '', 'spec.type': svc.spec?.type ?? '' }),
};
