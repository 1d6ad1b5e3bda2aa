// Upstream defaulting for discovery.k8s.io/v1 EndpointSlices: each port gets a name ("") and protocol TCP.
import type { KObject } from '../../../registry/kobject.ts';

export function setDefaults(slice: KObject): void {
  if (!Array.isArray(slice.ports)) return;
  for (const port of slice.ports) {
    if (!port || typeof port !== 'object') continue;
    if (port.name == null) port.name = '';
    if (port.protocol == null) port.protocol = 'TCP';
  }
}
