// One Istio config object as istiod's validation sees it: name, namespace, labels, annotations and spec.
import type { KObject } from '../registry/kobject.ts';

export interface IstioConfig {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /* eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON read defensively */
  spec: any;
}

/** A missing or null spec decodes to an empty message, as in istiod. */
export function istioConfigOf(obj: KObject): IstioConfig {
  const spec = obj.spec && typeof obj.spec === 'object' && !Array.isArray(obj.spec) ? obj.spec : {};
  return {
    name: obj.metadata.name ?? '',
    namespace: obj.metadata.namespace ?? '',
    labels: obj.metadata.labels ?? {},
    annotations: obj.metadata.annotations ?? {},
    spec,
  };
}
