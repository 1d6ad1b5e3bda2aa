// The CustomResourceDefinitions dabba ships (Istio networking, the Vertical Pod Autoscaler), as upstream publishes them.
import { readFileSync } from 'node:fs';

/** Names of the bundled CRDs; each is `<name>.json` beside this module, written by scripts/generate-crds.ts. */
export const bundledCrdNames: readonly string[] = [
  'gateways.networking.istio.io',
  'virtualservices.networking.istio.io',
  'destinationrules.networking.istio.io',
  'serviceentries.networking.istio.io',
  'verticalpodautoscalers.autoscaling.k8s.io',
  'verticalpodautoscalercheckpoints.autoscaling.k8s.io',
];

/** Set on each bundled CRD: a hash of its upstream content, so a newer bundle replaces what an older one installed. */
export const bundleHashAnnotation = 'dabba.io/bundle-hash';

/** An apiextensions.k8s.io/v1 CustomResourceDefinition, as far as dabba reads it. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: CrdVersion[];
    [k: string]: unknown;
  };
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JsonSchema };
  additionalPrinterColumns?: { name: string; type: string; jsonPath: string; description?: string; priority?: number; format?: string }[];
  subresources?: { status?: object; scale?: object };
}

/** The structural-schema subset the bundled CRDs use. */
export interface JsonSchema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
  [k: string]: unknown;
}

/**
 * One bundled CRD, read afresh (the caller may change it). Not cached: the server reads each once, at start, and
 * the parsed schemas (hundreds of KiB for Istio's) would otherwise stay in memory beside the stored CRDs.
 */
export function bundledCrd(name: string): CustomResourceDefinition {
  if (!bundledCrdNames.includes(name)) throw new Error(`${name} is not a bundled CustomResourceDefinition`);
  return JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as CustomResourceDefinition;
}

/** The bundled CRDs of one API group (`networking.istio.io`, `autoscaling.k8s.io`). */
export function bundledCrdsOf(group: string): CustomResourceDefinition[] {
  return bundledCrdNames.filter((n) => n.endsWith(`.${group}`)).map(bundledCrd);
}
