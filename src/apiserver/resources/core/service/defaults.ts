// Upstream defaulting for core/v1 Service (SetDefaults_Service in pkg/apis/core/v1/defaults.go).
import type { KObject } from '../../../registry/kobject.ts';

/** v1.DefaultClientIPServiceAffinitySeconds: three hours. */
export const defaultClientIPAffinitySeconds = 10800;

/** NodePort and LoadBalancer Services, and ClusterIP Services with external IPs (pkg/api/service ExternallyAccessible). */
export function externallyAccessible(svc: KObject): boolean {
  const type = svc.spec?.type;
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && Array.isArray(svc.spec?.externalIPs) && svc.spec.externalIPs.length > 0)
  );
}

/**
 * Fills what the apiserver fills on every write. ipFamilies and ipFamilyPolicy are not set here: upstream sets
 * them while allocating addresses, from the cluster's service CIDR and the previous object (see allocator.ts).
 */
export function setDefaults(svc: KObject): void {
  const spec = (svc.spec ??= {});
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: defaultClientIPAffinitySeconds } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports) {
      if (!port || typeof port !== 'object') continue;
      if (!port.protocol) port.protocol = 'TCP';
      if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') {
        port.targetPort = port.port;
      }
    }
  }
  if (externallyAccessible(svc) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts == null) spec.allocateLoadBalancerNodePorts = true;
    const ingress = svc.status?.loadBalancer?.ingress;
    if (Array.isArray(ingress)) {
      for (const ing of ingress) if (ing && ing.ip && ing.ipMode == null) ing.ipMode = 'VIP';
    }
  }
}
