// The SchemaProvider of a custom resource: strict decoding, pruning and defaulting from each version's openAPIV3Schema.
import type { PatchMeta } from '../../machinery/patch-meta.ts';
import type { SchemaProvider } from '../openapi/schema-provider.ts';
import { isObject, type JSONSchemaProps } from './json-schema.ts';
import { prune } from './pruning.ts';
import { applyDefaults, pruneNulls } from './defaulting.ts';
import { coerceEmbedded, normalizeObjectMeta, objectMetaTypeError, objectMetaUnknownFields } from './object-meta.ts';
import { customResourceOpenAPI } from './openapi.ts';
import { versionOf, type CustomResourceModel } from './custom-resource-model.ts';

export class CustomResourceSchemas implements SchemaProvider {
  readonly #model: CustomResourceModel;

  constructor(model: CustomResourceModel) {
    this.#model = model;
  }

  #schema(version: string): JSONSchemaProps | undefined {
    return versionOf(this.#model, version)?.schema;
  }

  /**
   * What strict decoding reports, in upstream's order: unknown metadata fields, then the fields pruning would drop
   * (sorted), then unknown fields in embedded resources' metadata. The handler words them as
   * `strict decoding error: unknown field "spec.foo"`.
   */
  unknownFields(version: string, obj: unknown): string[] {
    if (!isObject(obj)) return [];
    const copy = structuredClone(obj);
    const out = objectMetaUnknownFields(copy.metadata, 'metadata');
    const schema = this.#schema(version);
    if (!this.#model.preserveUnknownFields) {
      out.push(...prune(copy, schema, true));
      pruneNulls(copy, schema);
    }
    out.push(...coerceEmbedded(copy, schema).unknown);
    return out;
  }

  /** Metadata that cannot decode as ObjectMeta, or an embedded resource's malformed apiVersion, kind or metadata. */
  typeError(version: string, obj: unknown): string | undefined {
    if (!isObject(obj)) return undefined;
    const meta = objectMetaTypeError(obj.metadata);
    if (meta) return meta;
    const copy = structuredClone(obj);
    const schema = this.#schema(version);
    if (!this.#model.preserveUnknownFields) prune(copy, schema, true);
    return coerceEmbedded(copy, schema).error?.message();
  }

  /** Prunes unknown fields and non-nullable nulls, normalises metadata, then applies defaults (decode order upstream). */
  normalize(version: string, obj: unknown): void {
    if (!isObject(obj)) return;
    const schema = this.#schema(version);
    if (!this.#model.preserveUnknownFields) {
      prune(obj, schema, true);
      pruneNulls(obj, schema);
    }
    coerceEmbedded(obj, schema);
    normalizeObjectMeta(obj.metadata);
    applyDefaults(obj, schema);
  }

  /** Custom resources have no strategic-merge metadata: strategic merge patch is refused with 415. */
  patchMeta(_version: string): PatchMeta | undefined {
    return undefined;
  }

  openapi(version: string): { name: string; schemas: Record<string, unknown> } | undefined {
    return customResourceOpenAPI(this.#model, version);
  }
}

/** Brings a stored object to a served version's shape: the apiVersion, pruning and defaults of that version's schema. */
export function convertForVersion(model: CustomResourceModel, version: string, obj: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(obj);
  out.apiVersion = `${model.group}/${version}`;
  const schema = versionOf(model, version)?.schema;
  if (!model.preserveUnknownFields) {
    prune(out, schema, true);
    pruneNulls(out, schema);
  }
  applyDefaults(out, schema);
  return out;
}
