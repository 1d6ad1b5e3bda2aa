// Upstream defaulting for core/v1 Namespaces: the metadata-name label and the Active phase.
import type { KObject } from '../../../registry/kobject.ts';

/** The label every namespace carries with its own name (kubernetes.io/metadata.name). */
export const metadataNameLabel = 'kubernetes.io/metadata.name';

/** SetDefaults_Namespace and SetDefaults_NamespaceStatus, in place. */
export function setDefaults(ns: KObject): void {
  // A generateName namespace has no name yet when the decoder defaults it; the store names it first.
  if (ns.metadata.name) {
    ns.metadata.labels ??= {};
    ns.metadata.labels[metadataNameLabel] = ns.metadata.name;
  }
  if (ns.status === null || typeof ns.status !== 'object') ns.status = {};
  if (!ns.status.phase) ns.status.phase = 'Active';
}
