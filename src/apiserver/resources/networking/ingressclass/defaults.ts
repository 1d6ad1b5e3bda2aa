// Upstream defaulting for networking.k8s.io/v1 IngressClass: a parameters reference defaults to Cluster scope.
import type { KObject } from '../../../registry/kobject.ts';

export function setDefaults(ic: KObject): void {
  const params = ic.spec?.parameters;
  if (params && typeof params === 'object' && params.scope == null) params.scope = 'Cluster';
}
