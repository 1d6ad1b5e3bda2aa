// The description of one served API resource: its names, scope, verbs, subresources and strategy.
import type { Strategy } from './strategy.ts';
import type { KObject } from './kobject.ts';

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  /** Builds the Scale's status.selector string from the object. */
  selector(obj: KObject): string;
}

/** Converts between a served version and the stored (hub) version of a kind. */
export interface VersionConversion {
  toStorage(obj: KObject): KObject;
  fromStorage(obj: KObject): KObject;
}

export interface ServedVersion {
  version: string;
  /** Absent when the version is the storage version. */
  conversion?: VersionConversion;
}

export interface ResourceDefinition {
  group: string;
  /** Versions served, the first is the preferred one; the storage version has no conversion. */
  versions: ServedVersion[];
  storageVersion: string;
  kind: string;
  listKind: string;
  /** Plural, lowercase (`deployments`). */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: { status?: boolean; scale?: ScaleSubresource };
  strategy: Strategy;
  /** Storage group when the kind shares storage with another group's kind (events.k8s.io events live with core events). */
  storageResource?: { group: string; resource: string };
  /** Upstream returns the deleted object instead of a Status for these kinds (pods, services). */
  returnDeletedObject?: boolean;
  /** Values are encrypted at rest (secrets). */
  encrypted?: boolean;
  /** Create-on-update (PUT to a missing name creates it), as upstream allows for some kinds. */
  allowCreateOnUpdate?: boolean;
}

export const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const apiVersionOf = (group: string, version: string) => (group ? `${group}/${version}` : version);
