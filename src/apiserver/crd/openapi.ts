// The OpenAPI v3 component schemas a custom resource version publishes (for kubectl explain and client-side validation).
//
// As upstream's CRD OpenAPI builder: the structural schema with int-or-string unfolded, metadata as a reference to
// ObjectMeta, apiVersion and kind from TypeMeta, embedded resources completed, and x-kubernetes-group-version-kind.
// A version without a structural schema publishes a bare `type: object`.
import { definitionsForGroupVersion, SCHEMA_REF_PREFIX } from '../../api/schema/definitions.ts';
import { additionalOf, itemsOf, type JSONSchemaProps } from './json-schema.ts';
import type { CustomResourceModel, VersionModel } from './custom-resource-model.ts';

const objectMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const listMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';
const scale = 'io.k8s.api.autoscaling.v1.Scale';

const apiVersionDescription =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const kindDescription =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const metadataDescription = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const listMetadataDescription = 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const embeddedApiVersionDescription =
  'apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const embeddedKindDescription =
  'kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** util.ToRESTFriendlyName: `stable.example.com/v1.CronTab` → `com.example.stable.v1.CronTab`. */
export function definitionName(group: string, version: string, kind: string): string {
  const reversed = group.includes('.') ? group.split('.').reverse().join('.') : group;
  return `${reversed}.${version}.${kind}`;
}

const ref = (name: string) => ({ $ref: `${SCHEMA_REF_PREFIX}${name}` });

/** What Structural.ToKubeOpenAPI keeps, with x-kubernetes-int-or-string unfolded to anyOf integer/string. */
function toKubeOpenAPI(s: JSONSchemaProps): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keep = [
    'description',
    'type',
    'format',
    'title',
    'default',
    'nullable',
    'maximum',
    'exclusiveMaximum',
    'minimum',
    'exclusiveMinimum',
    'maxLength',
    'minLength',
    'pattern',
    'maxItems',
    'minItems',
    'uniqueItems',
    'multipleOf',
    'enum',
    'maxProperties',
    'minProperties',
    'required',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-int-or-string',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-list-type',
    'x-kubernetes-map-type',
    'x-kubernetes-validations',
  ] as const;
  for (const k of keep) {
    const v = s[k];
    if (v === undefined || v === null || v === false || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  const items = itemsOf(s);
  if (items) out.items = toKubeOpenAPI(items);
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toKubeOpenAPI(v)]));
  const additional = additionalOf(s);
  if (additional) out.additionalProperties = additional.schema ? toKubeOpenAPI(additional.schema) : additional.allows;
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (s[k]?.length) out[k] = s[k]!.map(toKubeOpenAPI);
  if (s.not) out.not = toKubeOpenAPI(s.not);
  if (s['x-kubernetes-int-or-string']) {
    const intOrString = [{ type: 'integer' }, { type: 'string' }];
    const anyOf = out.anyOf as unknown[] | undefined;
    const already =
      (anyOf && JSON.stringify(anyOf) === JSON.stringify(intOrString)) ||
      JSON.stringify((out.allOf as { anyOf?: unknown }[] | undefined)?.[0]?.anyOf) === JSON.stringify(intOrString);
    if (!already) {
      if (!anyOf) out.anyOf = intOrString;
      else out.allOf = [{ anyOf: intOrString }, ...((out.allOf as unknown[]) ?? [])];
    }
  }
  return out;
}

/** Adds apiVersion, kind and metadata to every embedded resource (addEmbeddedProperties). */
function addEmbeddedProperties(s: Record<string, unknown>): void {
  const props = s.properties as Record<string, Record<string, unknown>> | undefined;
  for (const v of Object.values(props ?? {})) addEmbeddedProperties(v);
  if (s.items && typeof s.items === 'object') addEmbeddedProperties(s.items as Record<string, unknown>);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') addEmbeddedProperties(s.additionalProperties as Record<string, unknown>);
  if (s['x-kubernetes-embedded-resource'] !== true) return;
  const p = (s.properties ??= {}) as Record<string, unknown>;
  p.apiVersion = { type: 'string', description: embeddedApiVersionDescription };
  p.kind = { type: 'string', description: embeddedKindDescription };
  p.metadata = { description: metadataDescription, allOf: [ref(objectMeta)] };
  const required = (s.required as string[] | undefined) ?? [];
  if (!required.includes('kind')) required.push('kind');
  if (!required.includes('apiVersion')) required.push('apiVersion');
  s.required = required;
}

function kindSchema(m: CustomResourceModel, v: VersionModel): Record<string, unknown> {
  const gvk = [{ group: m.group, version: v.name, kind: m.names.kind }];
  const validTypes = (s: JSONSchemaProps | undefined): boolean =>
    s === undefined ||
    ((!s.type || ['array', 'boolean', 'integer', 'number', 'object', 'string'].includes(s.type)) &&
      validTypes(itemsOf(s)) &&
      Object.values(s.properties ?? {}).every(validTypes) &&
      validTypes(additionalOf(s)?.schema));
  if (!v.schema || !v.structural || !validTypes(v.schema)) return { type: 'object', 'x-kubernetes-group-version-kind': gvk };
  const out = toKubeOpenAPI(v.schema);
  const props = (out.properties ??= {}) as Record<string, unknown>;
  props.metadata = { description: metadataDescription, allOf: [ref(objectMeta)] };
  props.apiVersion = { type: 'string', description: apiVersionDescription };
  props.kind = { type: 'string', description: kindDescription };
  addEmbeddedProperties(out);
  // The top level keeps only what it declared: embedded handling applies below the root.
  out['x-kubernetes-group-version-kind'] = gvk;
  return out;
}

function listSchema(m: CustomResourceModel, v: VersionModel, itemName: string): Record<string, unknown> {
  return {
    description: `${m.names.listKind} is a list of ${m.names.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: apiVersionDescription },
      items: {
        type: 'array',
        description: `List of ${m.names.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: ref(itemName),
      },
      kind: { type: 'string', description: kindDescription },
      metadata: { description: listMetadataDescription, allOf: [ref(listMeta)] },
    },
    'x-kubernetes-group-version-kind': [{ group: m.group, version: v.name, kind: m.names.listKind }],
  };
}

/** The component schemas for `version`: the kind, its list, and the meta (and Scale) schemas they reference. */
export function customResourceOpenAPI(m: CustomResourceModel, version: string): { name: string; schemas: Record<string, unknown> } | undefined {
  const v = m.versions.find((x) => x.name === version);
  if (!v) return undefined;
  const name = definitionName(m.group, v.name, m.names.kind);
  const roots = [objectMeta, listMeta, ...(v.subresources?.scale ? [scale] : [])];
  const schemas: Record<string, unknown> = { ...definitionsForGroupVersion(m.group, v.name, roots) };
  schemas[name] = kindSchema(m, v);
  schemas[definitionName(m.group, v.name, m.names.listKind)] = listSchema(m, v, name);
  return { name, schemas };
}
