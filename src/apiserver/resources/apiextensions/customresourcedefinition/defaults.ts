// CustomResourceDefinition defaulting, as apiextensions.k8s.io/v1 SetDefaults_CustomResourceDefinition.
import type { CustomResourceDefinition } from './types.ts';

/** Fills singular, listKind, conversion strategy None, the webhook service port and the first stored version. */
export function setDefaults(crd: CustomResourceDefinition): void {
  const spec = (crd.spec ??= {});
  const names = (spec.names ??= {});
  if (!names.singular && names.kind) names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  spec.conversion ??= { strategy: 'None' };
  const service = spec.conversion.webhook?.clientConfig?.service;
  if (service && service.port === undefined) service.port = 443;
  const status = crd.status;
  if (status && !status.storedVersions?.length) {
    const storage = spec.versions?.find((v) => v.storage);
    if (storage?.name) status.storedVersions = [storage.name];
  }
}
