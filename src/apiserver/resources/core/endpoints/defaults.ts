// Upstream defaulting for core/v1 Endpoints (SetDefaults_Endpoints): ports default to TCP.
import type { KObject } from '../../../registry/kobject.ts';

export function setDefaults(ep: KObject): void {
  if (!Array.isArray(ep.subsets)) return;
  for (const subset of ep.subsets) {
    if (!subset || !Array.isArray(subset.ports)) continue;
    for (const port of subset.ports) if (port && typeof port === 'object' && !port.protocol) port.protocol = 'TCP';
  }
}
