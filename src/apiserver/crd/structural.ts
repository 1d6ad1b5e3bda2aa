// Structural schema rules: which openAPIV3Schemas apiextensions accepts for pruning and defaulting, with upstream's errors.
//
// A structural schema declares a type on every node and keeps value-only checks (allOf, anyOf, oneOf, not)
// free of types, defaults and Kubernetes extensions, and those checks may only mention fields the node itself
// declares. Mirrors k8s.io/apiextensions-apiserver/pkg/apiserver/schema (NewStructural, ValidateStructural).
import { FieldError, FieldPath, fieldForbidden, fieldInvalid, fieldRequired } from '../../machinery/field-errors.ts';
import { additionalOf, itemsOf, type JSONSchemaProps } from './json-schema.ts';
import { compileGoRegexp } from './go-regexp.ts';

type Level = 'root' | 'item' | 'field';

/** What NewStructural refuses (an error, not a field error), or undefined. */
export function structuralConversionError(s: JSONSchemaProps | undefined): string | undefined {
  if (s === undefined) return undefined;
  const own = unsupported(s);
  if (own) return own;
  if (s['x-kubernetes-preserve-unknown-fields'] === false) return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined";
  if (Array.isArray(s.items)) return "OpenAPIV3Schema 'items' must be a schema, but is an array";
  const subs: (JSONSchemaProps | undefined)[] = [
    itemsOf(s),
    s.not,
    ...(s.allOf ?? []),
    ...(s.anyOf ?? []),
    ...(s.oneOf ?? []),
    ...Object.values(s.properties ?? {}),
    additionalOf(s)?.schema,
  ];
  for (const sub of subs) {
    const e = structuralConversionError(sub);
    if (e) return e;
  }
  return undefined;
}

function unsupported(s: JSONSchemaProps): string | undefined {
  if (s.id) return "OpenAPIV3Schema 'id' is not supported";
  if (s.$schema) return "OpenAPIV3Schema 'schema' is not supported";
  if (s.$ref) return "OpenAPIV3Schema '$ref' is not supported";
  if (s.patternProperties && Object.keys(s.patternProperties).length) return "OpenAPIV3Schema 'patternProperties' is not supported";
  if (s.dependencies && Object.keys(s.dependencies).length) return "OpenAPIV3Schema 'dependencies' is not supported";
  if (s.additionalItems !== undefined) return "OpenAPIV3Schema 'additionalItems' is not supported";
  if (s.definitions && Object.keys(s.definitions).length) return "OpenAPIV3Schema 'definitions' is not supported";
  return undefined;
}

const nonEmpty = (a: unknown[] | undefined) => !!a && a.length > 0;

/** `anyOf: [{type: integer}, {type: string}]` exactly: the int-or-string spelling upstream tolerates. */
function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  if (!anyOf || anyOf.length !== 2) return false;
  const only = (x: JSONSchemaProps, t: string) => Object.keys(x).length === 1 && x.type === t;
  return only(anyOf[0], 'integer') && only(anyOf[1], 'string');
}

/** ValidateStructural: every structural rule violated under `fldPath`, sorted by message as upstream sorts them. */
export function validateStructural(fldPath: FieldPath, s: JSONSchemaProps): FieldError[] {
  const errs = [...invariants(s, 'root', fldPath), ...completeness(s, fldPath)];
  return errs.sort((a, b) => (a.message() < b.message() ? -1 : a.message() > b.message() ? 1 : 0));
}

/** Whether `s` is a structural schema (no conversion error and no structural violation). */
export function isStructural(s: JSONSchemaProps): boolean {
  return structuralConversionError(s) === undefined && validateStructural(new FieldPath(), s).length === 0;
}

function invariants(s: JSONSchemaProps | undefined, lvl: Level, p: FieldPath): FieldError[] {
  if (s === undefined) return [];
  const errs: FieldError[] = [];
  const items = itemsOf(s);
  const type = s.type ?? '';
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  if (type === 'array' && items === undefined) errs.push(fieldRequired(p.child('items'), 'must be specified'));
  errs.push(...invariants(items, 'item', p.child('items')));
  for (const [k, v] of Object.entries(s.properties ?? {})) errs.push(...invariants(v, 'field', p.child('properties').key(k)));
  const additional = additionalOf(s);
  if (additional) {
    if (lvl === 'root') errs.push(fieldForbidden(p.child('additionalProperties'), 'must not be used at the root'));
    if (additional.schema) errs.push(...invariants(additional.schema, 'field', p.child('additionalProperties')));
  }
  if (intOrString && preserve) {
    errs.push(fieldInvalid(p.child('x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (intOrString && embedded) {
    errs.push(fieldInvalid(p.child('x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
  const skipFirstAllOfAnyOf = !!s.allOf?.length && isIntOrStringAnyOf(s.allOf[0].anyOf);
  errs.push(...valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, lvl, p));
  const checkMetadata = lvl === 'root' || embedded;
  if (embedded && type !== 'object') {
    if (type === '') errs.push(fieldRequired(p.child('type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(fieldInvalid(p.child('type'), type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (type === '' && !intOrString && !preserve) {
    const detail = { root: 'must not be empty at the root', item: 'must not be empty for specified array items', field: 'must not be empty for specified object fields' }[lvl];
    errs.push(fieldRequired(p.child('type'), detail));
  }
  if (embedded && additional) errs.push(fieldForbidden(p.child('additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  if (lvl === 'root' && type !== '' && type !== 'object') errs.push(fieldInvalid(p.child('type'), type, 'must be object at the root'));
  const props = s.properties ?? {};
  for (const meta of ['kind', 'apiVersion']) {
    if (checkMetadata && Object.hasOwn(props, meta) && props[meta].type !== 'string') {
      errs.push(fieldInvalid(p.child('properties').key(meta).child('type'), props[meta].type ?? '', 'must be string'));
    }
  }
  if (Object.hasOwn(props, 'metadata')) errs.push(...metadataInvariants(props.metadata, checkMetadata, lvl, p.child('properties').key('metadata')));
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errs.push(fieldRequired(p.child('properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

/** Keys of a schema node that make it more than "type: object" with name/generateName (what root metadata may say). */
function metadataHasMore(s: JSONSchemaProps): boolean {
  const props = Object.keys(s.properties ?? {});
  const onlyNames =
    (props.length === 2 && props.includes('name') && props.includes('generateName')) ||
    (props.length === 1 && (props[0] === 'name' || props[0] === 'generateName'));
  for (const [k, v] of Object.entries(s)) {
    if (k === 'type' || k === 'default' || k === 'example' || k === 'externalDocs' || k === 'id' || k === '$schema' || k === '$ref') continue;
    if (k === 'properties') {
      if (props.length > 0 && !onlyNames) return true;
      continue;
    }
    if (v === undefined || v === null || v === false || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (k === 'patternProperties' || k === 'dependencies' || k === 'definitions' || k === 'additionalItems') continue;
    return true;
  }
  return false;
}

function metadataInvariants(s: JSONSchemaProps, checkMetadata: boolean, lvl: Level, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (checkMetadata && s.type !== 'object') errs.push(fieldInvalid(p.child('type'), s.type ?? '', 'must be object'));
  if (lvl === 'root' && metadataHasMore(s)) {
    errs.push(fieldForbidden(p, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
  return errs;
}

function valueValidation(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf) (s.anyOf ?? []).forEach((x, i) => errs.push(...nested(x, false, lvl, p.child('anyOf').index(i))));
  (s.allOf ?? []).forEach((x, i) => errs.push(...nested(x, skipFirstAllOfAnyOf && i === 0, lvl, p.child('allOf').index(i))));
  (s.oneOf ?? []).forEach((x, i) => errs.push(...nested(x, false, lvl, p.child('oneOf').index(i))));
  errs.push(...nested(s.not, false, lvl, p.child('not')));
  if (s.pattern) {
    const re = compileGoRegexp(s.pattern);
    if (re instanceof Error) errs.push(fieldInvalid(p.child('pattern'), s.pattern, `must be a valid regular expression, but isn't: ${re.message}`));
  }
  return errs;
}

/** A value-validation-only node (inside allOf/anyOf/oneOf/not): no types, defaults, descriptions or extensions. */
function nested(v: JSONSchemaProps | undefined, skipAnyOf: boolean, lvl: Level, p: FieldPath): FieldError[] {
  if (v === undefined) return [];
  const errs: FieldError[] = [...valueValidation(v, skipAnyOf, false, lvl, p)];
  errs.push(...nested(itemsOf(v), false, lvl, p.child('items')));
  for (const [k, x] of Object.entries(v.properties ?? {})) errs.push(...nested(x, false, 'field', p.child('properties').key(k)));
  if (v.type) errs.push(fieldForbidden(p.child('type'), 'must be empty to be structural'));
  const additional = additionalOf(v);
  if (additional && (additional.schema || additional.allows)) errs.push(fieldForbidden(p.child('additionalProperties'), 'must be undefined to be structural'));
  if (v.default !== undefined && v.default !== null) errs.push(fieldForbidden(p.child('default'), 'must be undefined to be structural'));
  if (v.title) errs.push(fieldForbidden(p.child('title'), 'must be empty to be structural'));
  if (v.description) errs.push(fieldForbidden(p.child('description'), 'must be empty to be structural'));
  if (v.nullable) errs.push(fieldForbidden(p.child('nullable'), 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields']) errs.push(fieldForbidden(p.child('x-kubernetes-preserve-unknown-fields'), 'must be false to be structural'));
  if (v['x-kubernetes-embedded-resource']) errs.push(fieldForbidden(p.child('x-kubernetes-embedded-resource'), 'must be false to be structural'));
  if (v['x-kubernetes-int-or-string']) errs.push(fieldForbidden(p.child('x-kubernetes-int-or-string'), 'must be false to be structural'));
  if (nonEmpty(v['x-kubernetes-list-map-keys'])) errs.push(fieldForbidden(p.child('x-kubernetes-list-map-keys'), 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined) errs.push(fieldForbidden(p.child('x-kubernetes-list-type'), 'must be undefined to be structural'));
  if (v['x-kubernetes-map-type'] !== undefined) errs.push(fieldForbidden(p.child('x-kubernetes-map-type'), 'must be undefined to be structural'));
  if (nonEmpty(v['x-kubernetes-validations'])) errs.push(fieldForbidden(p.child('x-kubernetes-validations'), 'must be empty to be structural'));
  if (v.properties && Object.hasOwn(v.properties, 'metadata')) {
    errs.push(fieldForbidden(p.child('properties').key('metadata'), 'must not be specified in a nested context'));
  }
  return errs;
}

function completeness(s: JSONSchemaProps, p: FieldPath): FieldError[] {
  return valueCompleteness(s, s, p, p);
}

function valueCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: FieldPath, vPath: FieldPath): FieldError[] {
  if (s === undefined) return [fieldRequired(sPath, `because it is defined in ${vPath.text}`)];
  const errs: FieldError[] = [];
  errs.push(...nestedCompleteness(v.not, s, sPath, vPath.child('not')));
  (v.allOf ?? []).forEach((x, i) => errs.push(...nestedCompleteness(x, s, sPath, vPath.child('allOf').index(i))));
  (v.anyOf ?? []).forEach((x, i) => errs.push(...nestedCompleteness(x, s, sPath, vPath.child('anyOf').index(i))));
  (v.oneOf ?? []).forEach((x, i) => errs.push(...nestedCompleteness(x, s, sPath, vPath.child('oneOf').index(i))));
  return errs;
}

function nestedCompleteness(v: JSONSchemaProps | undefined, s: JSONSchemaProps | undefined, sPath: FieldPath, vPath: FieldPath): FieldError[] {
  if (v === undefined) return [];
  if (s === undefined) return [fieldRequired(sPath, `because it is defined in ${vPath.text}`)];
  const errs = [...valueCompleteness(v, s, sPath, vPath)];
  errs.push(...nestedCompleteness(itemsOf(v), itemsOf(s), sPath.child('items'), vPath.child('items')));
  for (const [k, vf] of Object.entries(v.properties ?? {})) {
    const sf = s.properties && Object.hasOwn(s.properties, k) ? s.properties[k] : undefined;
    if (sf === undefined) {
      errs.push(fieldRequired(sPath.child('properties').key(k), `because it is defined in ${vPath.child('properties').key(k).text}`));
    } else {
      errs.push(...nestedCompleteness(vf, sf, sPath.child('properties').key(k), vPath.child('properties').key(k)));
    }
  }
  return errs;
}
