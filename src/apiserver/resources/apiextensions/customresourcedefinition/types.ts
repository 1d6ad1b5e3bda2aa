// The apiextensions.k8s.io/v1 CustomResourceDefinition shape, and the internal view upstream validates (shared fields hoisted).
import type { JSONSchemaProps } from '../../../crd/json-schema.ts';
import type { KObject } from '../../../registry/kobject.ts';

export interface CRDNames {
  plural?: string;
  singular?: string;
  shortNames?: string[];
  kind?: string;
  listKind?: string;
  categories?: string[];
}

export interface ColumnDefinition {
  name?: string;
  type?: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath?: string;
}

export interface ScaleSubresource {
  specReplicasPath?: string;
  statusReplicasPath?: string;
  labelSelectorPath?: string;
}

export interface Subresources {
  status?: Record<string, never>;
  scale?: ScaleSubresource;
}

export interface SelectableField {
  jsonPath?: string;
}

export interface CustomResourceValidation {
  openAPIV3Schema?: JSONSchemaProps;
}

export interface CRDVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: CustomResourceValidation;
  subresources?: Subresources;
  additionalPrinterColumns?: ColumnDefinition[];
  selectableFields?: SelectableField[];
}

export interface ServiceReference {
  namespace?: string;
  name?: string;
  path?: string;
  port?: number;
}

export interface WebhookClientConfig {
  url?: string;
  service?: ServiceReference;
  caBundle?: string;
}

export interface CRDConversion {
  strategy?: string;
  webhook?: { clientConfig?: WebhookClientConfig; conversionReviewVersions?: string[] };
}

export interface CRDSpec {
  group?: string;
  names?: CRDNames;
  scope?: string;
  versions?: CRDVersion[];
  conversion?: CRDConversion;
  preserveUnknownFields?: boolean;
}

export interface CRDCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CRDStatus {
  conditions?: CRDCondition[];
  acceptedNames?: CRDNames;
  storedVersions?: string[];
}

export type CustomResourceDefinition = KObject & { spec?: CRDSpec; status?: CRDStatus };

/** The finalizer that makes a CRD wait until its custom resources are deleted. */
export const customResourceCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

/**
 * The internal (hub) version's spec: a schema, subresources, columns or selectable fields that every version
 * shares are held once at the top and absent per version, as the v1 → internal conversion does. Validation
 * paths follow this shape (`spec.validation.openAPIV3Schema…`), as on a real cluster.
 */
export interface InternalSpec {
  group: string;
  /** The first version's name (upstream's deprecated spec.version). */
  version: string;
  names: CRDNames;
  scope: string;
  validation?: CustomResourceValidation;
  subresources?: Subresources;
  additionalPrinterColumns?: ColumnDefinition[];
  selectableFields?: SelectableField[];
  versions: CRDVersion[];
  conversion?: { strategy?: string; webhookClientConfig?: WebhookClientConfig; conversionReviewVersions?: string[] };
  preserveUnknownFields: boolean;
}
