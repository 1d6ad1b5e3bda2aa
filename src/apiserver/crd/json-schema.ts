// The apiextensions.k8s.io/v1 JSONSchemaProps shape (a CRD version's openAPIV3Schema) and small readers over it.

/** One node of an openAPIV3Schema, as the CRD author wrote it (JSON field names of apiextensions/v1). */
export interface JSONSchemaProps {
  id?: string;
  $schema?: string;
  $ref?: string;
  description?: string;
  type?: string;
  nullable?: boolean;
  format?: string;
  title?: string;
  default?: unknown;
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  enum?: unknown[];
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  /** A schema, or (not allowed in CRDs) an array of schemas. */
  items?: JSONSchemaProps | JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  properties?: Record<string, JSONSchemaProps>;
  /** A schema, or a boolean (`false` forbids unknown keys, `true` allows any value). */
  additionalProperties?: JSONSchemaProps | boolean;
  patternProperties?: Record<string, JSONSchemaProps>;
  dependencies?: Record<string, JSONSchemaProps | string[]>;
  additionalItems?: JSONSchemaProps | boolean;
  definitions?: Record<string, JSONSchemaProps>;
  externalDocs?: { description?: string; url?: string };
  example?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: ValidationRule[];
}

export interface ValidationRule {
  rule?: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The single `items` schema, or undefined (absent, or the unsupported array form). */
export function itemsOf(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  const i = s?.items;
  return i !== undefined && !Array.isArray(i) ? i : undefined;
}

/** How a node treats keys it does not declare: its additionalProperties as upstream's StructuralOrBool. */
export function additionalOf(s: JSONSchemaProps | undefined): { schema?: JSONSchemaProps; allows: boolean } | undefined {
  const a = s?.additionalProperties;
  if (a === undefined) return undefined;
  if (typeof a === 'boolean') return { allows: a };
  return { schema: a, allows: true };
}

export const preservesUnknown = (s: JSONSchemaProps | undefined) => s?.['x-kubernetes-preserve-unknown-fields'] === true;
export const isEmbedded = (s: JSONSchemaProps | undefined) => s?.['x-kubernetes-embedded-resource'] === true;
export const isIntOrString = (s: JSONSchemaProps | undefined) => s?.['x-kubernetes-int-or-string'] === true;
export const hasDefault = (s: JSONSchemaProps | undefined) => s !== undefined && s.default !== undefined && s.default !== null;

/** The sub-schema of a property: a declared property, else the additionalProperties schema. */
export function propertySchema(s: JSONSchemaProps | undefined, key: string): JSONSchemaProps | undefined {
  if (s === undefined) return undefined;
  if (s.properties && Object.hasOwn(s.properties, key)) return s.properties[key];
  return additionalOf(s)?.schema;
}

/** JSON equality as Go's reflect.DeepEqual sees decoded JSON (numbers by value, key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A deep copy of a JSON value. */
export const copyJson = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
