// Upstream defaulting and conversion for core/v1 Nodes: podCIDR kept in step with podCIDRs, allocatable from capacity.
import type { KObject } from '../../../registry/kobject.ts';

/** SetDefaults_NodeStatus and the v1 ↔ internal podCIDR(s) conversion, in place. */
export function setDefaults(node: KObject): void {
  const spec = node.spec;
  if (spec !== null && typeof spec === 'object') {
    // The internal Node has only podCIDRs: podCIDRs wins, a lone podCIDR becomes its first entry.
    const cidrs: unknown = spec.podCIDRs;
    if (!(Array.isArray(cidrs) && cidrs.length > 0) && typeof spec.podCIDR === 'string' && spec.podCIDR !== '') {
      spec.podCIDRs = [spec.podCIDR];
    }
    if (Array.isArray(spec.podCIDRs) && spec.podCIDRs.length > 0) spec.podCIDR = spec.podCIDRs[0];
  }
  const status = node.status;
  if (status !== null && typeof status === 'object') {
    if ((status.allocatable === undefined || status.allocatable === null) && status.capacity != null) {
      status.allocatable = structuredClone(status.capacity);
    }
  }
}
