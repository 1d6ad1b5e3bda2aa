// Converts a v1 CRD spec to the internal shape upstream validates: settings shared by every version move to the top.
import { jsonEqual } from '../../../crd/json-schema.ts';
import type { CRDSpec, CRDVersion, InternalSpec } from './types.ts';

/** Semantic equality as apimachinery's: absent, null and empty lists or maps are all equal. */
function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  if (empty(a) && empty(b)) return true;
  return jsonEqual(a, b);
}

export function toInternalSpec(spec: CRDSpec): InternalSpec {
  const versions: CRDVersion[] = (spec.versions ?? []).map((v) => ({ ...v }));
  const out: InternalSpec = {
    group: spec.group ?? '',
    version: versions[0]?.name ?? '',
    names: spec.names ?? {},
    scope: spec.scope ?? '',
    versions,
    preserveUnknownFields: spec.preserveUnknownFields === true,
  };
  if (spec.conversion) {
    out.conversion = { strategy: spec.conversion.strategy };
    if (spec.conversion.webhook) {
      out.conversion.conversionReviewVersions = spec.conversion.webhook.conversionReviewVersions;
      if (spec.conversion.webhook.clientConfig) out.conversion.webhookClientConfig = spec.conversion.webhook.clientConfig;
    }
  }
  if (versions.length === 0) return out;
  const first = versions[0];
  const identical = (pick: (v: CRDVersion) => unknown) => versions.every((v) => semanticEqual(pick(v), pick(first)));
  if (identical((v) => v.subresources)) {
    out.subresources = first.subresources;
    for (const v of versions) delete v.subresources;
  }
  if (identical((v) => v.schema)) {
    out.validation = first.schema;
    for (const v of versions) delete v.schema;
  }
  if (identical((v) => v.additionalPrinterColumns)) {
    out.additionalPrinterColumns = first.additionalPrinterColumns;
    for (const v of versions) delete v.additionalPrinterColumns;
  }
  if (identical((v) => v.selectableFields)) {
    out.selectableFields = first.selectableFields;
    for (const v of versions) delete v.selectableFields;
  }
  return out;
}
