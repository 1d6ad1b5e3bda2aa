// The untyped shape every stored API object has: apiVersion, kind, metadata, and kind-specific fields.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  selfLink?: string;
  [key: string]: unknown;
}

// Kind-specific fields are untyped JSON: strategies read them defensively.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KObject = { apiVersion?: string; kind?: string; metadata: ObjectMeta; [key: string]: any };
