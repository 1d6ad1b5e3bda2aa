// CustomResourceDefinition validation with Kubernetes 1.33's messages (apiextensions-apiserver pkg/apis/apiextensions/validation).
//
// Upstream validates the internal version, where a schema, subresources or columns shared by every version sit
// at the top of the spec; so a single-version CRD reports schema errors at `spec.validation.openAPIV3Schema…`
// and scale errors at `spec.subresources.scale…`, exactly as a real cluster does. CEL rules
// (`x-kubernetes-validations`) are checked for shape only; their expressions are not compiled.
import {
  FieldError,
  FieldPath,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooMany,
  GoRepr,
} from '../../../../machinery/field-errors.ts';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortNum } from '../../../../machinery/validation.ts';
import { validateImmutableField } from '../../../../machinery/meta-validation.ts';
import { additionalOf, itemsOf, type JSONSchemaProps } from '../../../crd/json-schema.ts';
import { structuralConversionError, validateStructural, isStructural } from '../../../crd/structural.ts';
import { validateDefaults } from '../../../crd/defaulting.ts';
import { prune } from '../../../crd/pruning.ts';
import { goVersions, goSchemaProps } from './go-repr.ts';
import { toInternalSpec } from './internal.ts';
import type {
  ColumnDefinition,
  CRDNames,
  CRDSpec,
  CRDVersion,
  CustomResourceDefinition,
  CustomResourceValidation,
  InternalSpec,
  SelectableField,
  Subresources,
} from './types.ts';

const printerColumnDatatypes = ['boolean', 'date', 'integer', 'number', 'string'];
const columnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const openapiV3Types = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const supportedValidationReasons = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const maxSelectableFields = 8;
const metaFields = new Set(['metadata', 'kind', 'apiVersion']);
const allowedFieldsAtRootSchema = [
  'Description',
  'Type',
  'Format',
  'Title',
  'Maximum',
  'ExclusiveMaximum',
  'Minimum',
  'ExclusiveMinimum',
  'MaxLength',
  'MinLength',
  'Pattern',
  'MaxItems',
  'MinItems',
  'UniqueItems',
  'MultipleOf',
  'Required',
  'Items',
  'Properties',
  'ExternalDocs',
  'Example',
  'XPreserveUnknownFields',
  'XValidations',
];
/** JSON field name → Go field name of JSONSchemaProps, in the struct's order (for the root check). */
const goFieldNames: [string, string][] = [
  ['id', 'ID'],
  ['$schema', 'Schema'],
  ['$ref', 'Ref'],
  ['description', 'Description'],
  ['type', 'Type'],
  ['nullable', 'Nullable'],
  ['format', 'Format'],
  ['title', 'Title'],
  ['default', 'Default'],
  ['maximum', 'Maximum'],
  ['exclusiveMaximum', 'ExclusiveMaximum'],
  ['minimum', 'Minimum'],
  ['exclusiveMinimum', 'ExclusiveMinimum'],
  ['maxLength', 'MaxLength'],
  ['minLength', 'MinLength'],
  ['pattern', 'Pattern'],
  ['maxItems', 'MaxItems'],
  ['minItems', 'MinItems'],
  ['uniqueItems', 'UniqueItems'],
  ['multipleOf', 'MultipleOf'],
  ['enum', 'Enum'],
  ['maxProperties', 'MaxProperties'],
  ['minProperties', 'MinProperties'],
  ['required', 'Required'],
  ['items', 'Items'],
  ['allOf', 'AllOf'],
  ['oneOf', 'OneOf'],
  ['anyOf', 'AnyOf'],
  ['not', 'Not'],
  ['properties', 'Properties'],
  ['additionalProperties', 'AdditionalProperties'],
  ['patternProperties', 'PatternProperties'],
  ['dependencies', 'Dependencies'],
  ['additionalItems', 'AdditionalItems'],
  ['definitions', 'Definitions'],
  ['externalDocs', 'ExternalDocs'],
  ['example', 'Example'],
  ['x-kubernetes-preserve-unknown-fields', 'XPreserveUnknownFields'],
  ['x-kubernetes-embedded-resource', 'XEmbeddedResource'],
  ['x-kubernetes-int-or-string', 'XIntOrString'],
  ['x-kubernetes-list-map-keys', 'XListMapKeys'],
  ['x-kubernetes-list-type', 'XListType'],
  ['x-kubernetes-map-type', 'XMapType'],
  ['x-kubernetes-validations', 'XValidations'],
];

interface Options {
  allowDefaults: boolean;
  requireRecognizedConversionReviewVersion: boolean;
  requireImmutableNames: boolean;
  requireOpenAPISchema: boolean;
  requireValidPropertyType: boolean;
  requireStructuralSchema: boolean;
  requirePrunedDefaults: boolean;
  requireAtomicSetType: boolean;
  requireMapListKeysMapSetValidation: boolean;
  allowInvalidCABundle: boolean;
}

const spec = FieldPath.root('spec');

// ---- entry points ----

/** metadata.name must be `<plural>.<group>` (the rest of metadata is checked by the store). */
export function validateCRDName(crd: CustomResourceDefinition): FieldError[] {
  const name = crd.metadata.name ?? '';
  if (name === '') return [];
  const required = `${crd.spec?.names?.plural ?? ''}.${crd.spec?.group ?? ''}`;
  return name === required ? [] : [fieldInvalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group')];
}

export function validateCustomResourceDefinition(crd: CustomResourceDefinition): FieldError[] {
  const opts: Options = {
    allowDefaults: true,
    requireRecognizedConversionReviewVersion: true,
    requireImmutableNames: false,
    requireOpenAPISchema: true,
    requireValidPropertyType: true,
    requireStructuralSchema: true,
    requirePrunedDefaults: true,
    requireAtomicSetType: true,
    requireMapListKeysMapSetValidation: true,
    allowInvalidCABundle: true,
  };
  const s = toInternalSpec(crd.spec ?? {});
  const errs = validateCRDName(crd);
  errs.push(...validateSpec(s, opts, spec));
  errs.push(...validateStatus(crd));
  errs.push(...validateStoredVersions(crd.status?.storedVersions, s.versions, FieldPath.root('status').child('storedVersions')));
  errs.push(...validateAPIApproval(crd, undefined));
  errs.push(...validatePreserveUnknownFields(crd, undefined));
  return errs;
}

export function validateCustomResourceDefinitionUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  const oldSpec = toInternalSpec(old.spec ?? {});
  const established = isConditionTrue(old, 'Established');
  const opts: Options = {
    allowDefaults: true,
    requireRecognizedConversionReviewVersion:
      old.spec?.conversion === undefined || hasValidConversionReviewVersionOrEmpty(oldSpec.conversion?.conversionReviewVersions),
    requireImmutableNames: established,
    requireOpenAPISchema: allVersionsSpecifyOpenAPISchema(oldSpec),
    requireValidPropertyType: !specHas(oldSpec, (x) => !!x.type && !openapiV3Types.includes(x.type)),
    requireStructuralSchema: !specHasNonStructuralSchema(oldSpec),
    requirePrunedDefaults: !specHasUnprunedDefaults(oldSpec),
    requireAtomicSetType: !specHas(oldSpec, hasNonAtomicSetType),
    requireMapListKeysMapSetValidation: !specHas(oldSpec, (x) => validateMapListKeysMapSet(x, new FieldPath()).length > 0),
    allowInvalidCABundle: !established,
  };
  const s = toInternalSpec(crd.spec ?? {});
  const errs = validateSpec(s, opts, spec);
  if (opts.requireImmutableNames) {
    errs.push(...validateImmutableField(s.scope, oldSpec.scope, spec.child('scope')));
    errs.push(...validateImmutableField(s.names.kind ?? '', oldSpec.names.kind ?? '', spec.child('names', 'kind')));
  }
  errs.push(...validateImmutableField(s.group, oldSpec.group, spec.child('group')));
  errs.push(...validateImmutableField(s.names.plural ?? '', oldSpec.names.plural ?? '', spec.child('names', 'plural')));
  errs.push(...validateStatus(crd));
  errs.push(...validateStoredVersions(crd.status?.storedVersions, s.versions, FieldPath.root('status').child('storedVersions')));
  errs.push(...validateAPIApproval(crd, old));
  errs.push(...validatePreserveUnknownFields(crd, old));
  return errs;
}

/** ValidateUpdateCustomResourceDefinitionStatus (metadata is checked by the store). */
export function validateStatus(crd: CustomResourceDefinition): FieldError[] {
  return validateNames(crd.status?.acceptedNames ?? {}, FieldPath.root('status').child('acceptedNames'));
}

export function isConditionTrue(crd: CustomResourceDefinition, type: string): boolean {
  return !!crd.status?.conditions?.some((c) => c.type === type && c.status === 'True');
}

// ---- spec ----

function validateEnumStrings(p: FieldPath, value: string, accepted: string[], required: boolean): FieldError[] {
  if (value === '') return required ? [fieldRequired(p)] : [];
  return accepted.includes(value) ? [] : [fieldNotSupported(p, value, accepted)];
}

function validateSpec(s: InternalSpec, baseOpts: Options, p: FieldPath): FieldError[] {
  const opts = { ...baseOpts };
  const errs: FieldError[] = [];
  if (s.group === '') errs.push(fieldRequired(p.child('group')));
  else {
    const e = isDNS1123Subdomain(s.group);
    if (e.length) errs.push(fieldInvalid(p.child('group'), s.group, e.join(',')));
    else if (s.group.split('.').length < 2) errs.push(fieldInvalid(p.child('group'), s.group, 'should be a domain with at least one dot'));
  }
  errs.push(...validateEnumStrings(p.child('scope'), s.scope, ['Cluster', 'Namespaced'], true));
  if (!s.preserveUnknownFields) opts.requireStructuralSchema = true;
  const topSchema = s.validation?.openAPIV3Schema;
  if (opts.requireOpenAPISchema) {
    if (!topSchema) {
      s.versions.forEach((v, i) => {
        if (!v.schema?.openAPIV3Schema) errs.push(fieldRequired(p.child('versions').index(i).child('schema').child('openAPIV3Schema'), 'schemas are required'));
      });
    }
  } else if (!s.preserveUnknownFields && !topSchema) {
    s.versions.forEach((v, i) => {
      if (v.served && !v.schema?.openAPIV3Schema) {
        errs.push(fieldRequired(p.child('versions').index(i).child('schema', 'openAPIV3Schema'), 'because otherwise all fields are pruned'));
      }
    });
  }
  if (opts.allowDefaults && specHas(s, (x) => x.default !== undefined && x.default !== null)) {
    opts.requireStructuralSchema = true;
    if (s.preserveUnknownFields) errs.push(fieldInvalid(p.child('preserveUnknownFields'), true, 'must be false in order to use defaults in the schema'));
  }
  if (specHas(s, hasKubernetesExtensions)) opts.requireStructuralSchema = true;

  let storageFlagCount = 0;
  const seen = new Set<string>();
  let uniqueNames = true;
  s.versions.forEach((v, i) => {
    if (v.storage) storageFlagCount++;
    const name = v.name ?? '';
    if (seen.has(name)) uniqueNames = false;
    else seen.add(name);
    const e = isDNS1035Label(name);
    if (e.length) errs.push(fieldInvalid(p.child('versions').index(i).child('name'), name, e.join(',')));
    const subresources = s.versions.some((x) => x.subresources !== undefined) ? v.subresources : s.subresources;
    errs.push(...validateVersion(v, p.child('versions').index(i), subresources?.status !== undefined, opts));
  });
  if (!uniqueNames) errs.push(fieldInvalid(p.child('versions'), goVersions(s.versions), 'must contain unique version names'));
  if (storageFlagCount !== 1) errs.push(fieldInvalid(p.child('versions'), goVersions(s.versions), 'must have exactly one version marked as storage version'));
  if (s.version !== '') {
    const e = isDNS1035Label(s.version);
    if (e.length) errs.push(fieldInvalid(p.child('version'), s.version, e.join(',')));
  }
  const names = s.names;
  if (!names.plural) errs.push(fieldRequired(p.child('names', 'plural')));
  if (!names.singular) errs.push(fieldRequired(p.child('names', 'singular')));
  if (!names.kind) errs.push(fieldRequired(p.child('names', 'kind')));
  if (!names.listKind) errs.push(fieldRequired(p.child('names', 'listKind')));
  errs.push(...validateNames(names, p.child('names')));
  const anyStatus = s.subresources?.status !== undefined || s.versions.some((v) => v.subresources?.status !== undefined);
  errs.push(...validateValidation(s.validation, anyStatus, opts, p.child('validation')));
  errs.push(...validateSubresources(s.subresources, p.child('subresources')));
  (s.additionalPrinterColumns ?? []).forEach((c, i) => errs.push(...validateColumn(c, p.child('additionalPrinterColumns').index(i))));
  if (s.selectableFields?.length) {
    if (!s.validation) {
      errs.push(fieldInvalid(p.child('selectableFields'), '', 'selectableFields may only be set when validations.schema is included'));
    } else {
      errs.push(...validateSelectableFields(s.selectableFields, s.validation.openAPIV3Schema, p.child('selectableFields')));
    }
  }
  if (s.conversion && s.conversion.strategy !== 'None' && s.preserveUnknownFields) {
    errs.push(fieldInvalid(p.child('conversion').child('strategy'), s.conversion.strategy ?? '', 'must be None if spec.preserveUnknownFields is true'));
  }
  errs.push(...validateConversion(s.conversion, opts.requireRecognizedConversionReviewVersion, p.child('conversion'), opts));
  return errs;
}

function validateVersion(v: CRDVersion, p: FieldPath, statusEnabled: boolean, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  for (const e of validateDeprecationWarning(!!v.deprecated, v.deprecationWarning)) {
    errs.push(fieldInvalid(p.child('deprecationWarning'), v.deprecationWarning ?? null, e));
  }
  errs.push(...validateValidation(v.schema, statusEnabled, opts, p.child('schema')));
  errs.push(...validateSubresources(v.subresources, p.child('subresources')));
  (v.additionalPrinterColumns ?? []).forEach((c, i) => errs.push(...validateColumn(c, p.child('additionalPrinterColumns').index(i))));
  if (v.selectableFields?.length) {
    if (!v.schema?.openAPIV3Schema) {
      errs.push(fieldInvalid(p.child('selectableFields'), '', 'selectableFields may only be set when version.schema.openAPIV3Schema is not included'));
    } else {
      errs.push(...validateSelectableFields(v.selectableFields, v.schema.openAPIV3Schema, p.child('selectableFields')));
    }
  }
  return errs;
}

function validateDeprecationWarning(deprecated: boolean, warning: string | undefined): string[] {
  if (!deprecated && warning !== undefined) return ['can only be set for deprecated versions'];
  if (warning === undefined) return [];
  const errs: string[] = [];
  if (Buffer.byteLength(warning) > 256) errs.push('must be <= 256 characters long');
  if (warning.length === 0) errs.push('must not be an empty string');
  let offset = 0;
  for (const ch of warning) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      errs.push(`must only contain printable UTF-8 characters; non-printable character found at index ${offset}`);
      break;
    }
    offset += Buffer.byteLength(ch);
  }
  return errs;
}

export function validateNames(names: CRDNames, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const dns = (v: string | undefined, field: string) => {
    if (!v) return;
    const e = isDNS1035Label(v);
    if (e.length) errs.push(fieldInvalid(p.child(field), v, e.join(',')));
  };
  const mixed = (v: string | undefined, field: string) => {
    if (!v) return;
    const e = isDNS1035Label(v.toLowerCase());
    if (e.length) errs.push(fieldInvalid(p.child(field), v, 'may have mixed case, but should otherwise match: ' + e.join(',')));
  };
  dns(names.plural, 'plural');
  dns(names.singular, 'singular');
  mixed(names.kind, 'kind');
  mixed(names.listKind, 'listKind');
  (names.shortNames ?? []).forEach((s, i) => {
    const e = isDNS1035Label(s);
    if (e.length) errs.push(fieldInvalid(p.child('shortNames').index(i), s, e.join(',')));
  });
  if (names.kind && names.kind === names.listKind) errs.push(fieldInvalid(p.child('listKind'), names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((c, i) => {
    const e = isDNS1035Label(c);
    if (e.length) errs.push(fieldInvalid(p.child('categories').index(i), c, e.join(',')));
  });
  return errs;
}

function validateStoredVersions(stored: string[] | undefined, versions: CRDVersion[], p: FieldPath): FieldError[] {
  if (!stored?.length) return [fieldInvalid(p, new GoRepr(stored ? '[]string{}' : '[]string(nil)'), 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const remaining = new Map<string, number>();
  stored.forEach((v, i) => remaining.set(v, i));
  for (const v of versions) {
    const ok = remaining.has(v.name ?? '');
    if (v.storage && !ok) errs.push(fieldInvalid(p, stored, `must have the storage version ${v.name ?? ''}`));
    if (ok) remaining.delete(v.name ?? '');
  }
  for (const [v, i] of remaining) {
    errs.push(
      fieldInvalid(
        p.index(i),
        v,
        `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`,
      ),
    );
  }
  return errs;
}

export function validateColumn(c: ColumnDefinition, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fieldRequired(p.child('name')));
  const types = `must be one of ${printerColumnDatatypes.join(',')}`;
  if (!c.type) errs.push(fieldRequired(p.child('type'), types));
  else if (!printerColumnDatatypes.includes(c.type)) errs.push(fieldInvalid(p.child('type'), c.type, types));
  if (c.format && !columnFormats.includes(c.format)) errs.push(fieldInvalid(p.child('format'), c.format, `must be one of ${columnFormats.join(',')}`));
  if (!c.jsonPath) errs.push(fieldRequired(p.child('JSONPath')));
  else errs.push(...validateSimpleJSONPath(c.jsonPath, p.child('JSONPath')));
  return errs;
}

function validateSimpleJSONPath(s: string, p: FieldPath): FieldError[] {
  if (s.length === 0) return [fieldInvalid(p, s, 'must not be empty')];
  if (s[0] !== '.') return [fieldInvalid(p, s, 'must be a simple json path starting with .')];
  return [];
}

function validateSubresources(sub: Subresources | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const scale = sub?.scale;
  if (!scale) return errs;
  if (!scale.specReplicasPath) errs.push(fieldRequired(p.child('scale.specReplicasPath')));
  else {
    const e = validateSimpleJSONPath(scale.specReplicasPath, p.child('scale.specReplicasPath'));
    if (e.length) errs.push(...e);
    else if (!scale.specReplicasPath.startsWith('.spec.')) {
      errs.push(fieldInvalid(p.child('scale.specReplicasPath'), scale.specReplicasPath, 'should be a json path under .spec'));
    }
  }
  if (!scale.statusReplicasPath) errs.push(fieldRequired(p.child('scale.statusReplicasPath')));
  else {
    const e = validateSimpleJSONPath(scale.statusReplicasPath, p.child('scale.statusReplicasPath'));
    if (e.length) errs.push(...e);
    else if (!scale.statusReplicasPath.startsWith('.status.')) {
      errs.push(fieldInvalid(p.child('scale.statusReplicasPath'), scale.statusReplicasPath, 'should be a json path under .status'));
    }
  }
  if (scale.labelSelectorPath) {
    const e = validateSimpleJSONPath(scale.labelSelectorPath, p.child('scale.labelSelectorPath'));
    if (e.length) errs.push(...e);
    else if (!scale.labelSelectorPath.startsWith('.spec.') && !scale.labelSelectorPath.startsWith('.status.')) {
      errs.push(fieldInvalid(p.child('scale.labelSelectorPath'), scale.labelSelectorPath, 'should be a json path under either .spec or .status'));
    }
  }
  return errs;
}

// ---- conversion ----

const acceptedConversionReviewVersions = ['v1', 'v1beta1'];

function hasValidConversionReviewVersionOrEmpty(versions: string[] | undefined): boolean {
  return !versions?.length || versions.some((v) => acceptedConversionReviewVersions.includes(v));
}

function validateConversionReviewVersions(versions: string[] | undefined, requireRecognized: boolean, p: FieldPath): FieldError[] {
  if (!versions?.length) return [fieldRequired(p)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let accepted = false;
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      errs.push(fieldInvalid(p.index(i), v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const e of isDNS1035Label(v)) errs.push(fieldInvalid(p.index(i), v, e));
    if (acceptedConversionReviewVersions.includes(v)) accepted = true;
  });
  if (requireRecognized && !accepted) errs.push(fieldInvalid(p, versions, `must include at least one of ${acceptedConversionReviewVersions.join(', ')}`));
  return errs;
}

function validateWebhookURL(p: FieldPath, raw: string): FieldError[] {
  const form = '; desired format: https://host[/path]';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return [fieldInvalid(p, '', `host must be specified${form}`)];
  }
  const errs: FieldError[] = [];
  if (u.protocol !== 'https:') errs.push(fieldInvalid(p, u.protocol.replace(/:$/, ''), `'https' is the only allowed URL scheme${form}`));
  if (!u.host) errs.push(fieldInvalid(p, u.host, `host must be specified${form}`));
  if (u.username || u.password) errs.push(fieldInvalid(p, u.password ? `${u.username}:${u.password}` : u.username, 'user information is not permitted in the URL'));
  if (u.hash.length > 1) errs.push(fieldInvalid(p, u.hash.slice(1), 'fragments are not permitted in the URL'));
  if (u.search.length > 1) errs.push(fieldInvalid(p, u.search.slice(1), 'query parameters are not permitted in the URL'));
  return errs;
}

function validateWebhookService(p: FieldPath, svc: { namespace?: string; name?: string; path?: string; port?: number }): FieldError[] {
  const errs: FieldError[] = [];
  if (!svc.name) errs.push(fieldRequired(p.child('name'), 'service name is required'));
  if (!svc.namespace) errs.push(fieldRequired(p.child('namespace'), 'service namespace is required'));
  const port = svc.port ?? 443;
  const portErrs = isValidPortNum(port);
  if (portErrs.length) errs.push(fieldInvalid(p.child('port'), port, 'port is not valid: ' + portErrs.join(', ')));
  const path = svc.path;
  if (path === undefined || path === '/' || path === '') return errs;
  if (path === '//') return [...errs, fieldInvalid(p.child('path'), path, 'segment[0] may not be empty')];
  if (!path.startsWith('/')) errs.push(fieldInvalid(p.child('path'), path, "must start with a '/'"));
  let check = path.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (step.length === 0) {
      errs.push(fieldInvalid(p.child('path'), path, `segment[${i}] may not be empty`));
      return;
    }
    for (const f of isDNS1123Subdomain(step)) errs.push(fieldInvalid(p.child('path'), path, `segment[${i}]: ${f}`));
  });
  return errs;
}

function validateConversion(c: InternalSpec['conversion'], requireRecognized: boolean, p: FieldPath, opts: Options): FieldError[] {
  if (!c) return [];
  const errs = validateEnumStrings(p.child('strategy'), c.strategy ?? '', ['None', 'Webhook'], true);
  if (c.strategy === 'Webhook') {
    const cc = c.webhookClientConfig;
    if (!cc) errs.push(fieldRequired(p.child('webhookClientConfig'), 'required when strategy is set to Webhook'));
    else {
      if ((cc.url === undefined) === (cc.service === undefined)) {
        errs.push(fieldRequired(p.child('webhookClientConfig'), 'exactly one of url or service is required'));
      } else if (cc.url !== undefined) {
        errs.push(...validateWebhookURL(p.child('webhookClientConfig').child('url'), cc.url));
      } else if (cc.service) {
        errs.push(...validateWebhookService(p.child('webhookClientConfig').child('service'), cc.service));
      }
      if (cc.caBundle && !opts.allowInvalidCABundle && !/-----BEGIN CERTIFICATE-----/.test(Buffer.from(cc.caBundle, 'base64').toString('latin1'))) {
        errs.push(fieldInvalid(p.child('webhookClientConfig').child('caBundle'), new GoRepr('[]byte{…}'), 'unable to load root certificates: unable to parse bytes as PEM block'));
      }
    }
    errs.push(...validateConversionReviewVersions(c.conversionReviewVersions, requireRecognized, p.child('conversionReviewVersions')));
  } else {
    if (c.webhookClientConfig) errs.push(fieldForbidden(p.child('webhookClientConfig'), 'should not be set when strategy is not set to Webhook'));
    if (c.conversionReviewVersions?.length) errs.push(fieldForbidden(p.child('conversionReviewVersions'), 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}

// ---- schemas ----

/** SchemaHas: whether any node of the schema satisfies `pred`. */
export function schemaHas(s: JSONSchemaProps | undefined, pred: (s: JSONSchemaProps) => boolean): boolean {
  if (s === undefined || s === null || typeof s !== 'object') return false;
  if (pred(s)) return true;
  const subs: (JSONSchemaProps | undefined)[] = [
    ...(Array.isArray(s.items) ? s.items : [s.items]),
    ...(s.allOf ?? []),
    ...(s.anyOf ?? []),
    ...(s.oneOf ?? []),
    s.not,
    ...Object.values(s.properties ?? {}),
    additionalOf(s)?.schema,
    ...Object.values(s.patternProperties ?? {}),
    typeof s.additionalItems === 'object' ? s.additionalItems : undefined,
    ...Object.values(s.definitions ?? {}),
    ...Object.values(s.dependencies ?? {}).map((d) => (Array.isArray(d) ? undefined : d)),
  ];
  return subs.some((x) => schemaHas(x, pred));
}

function specHas(s: InternalSpec, pred: (s: JSONSchemaProps) => boolean): boolean {
  if (schemaHas(s.validation?.openAPIV3Schema, pred)) return true;
  return s.versions.some((v) => schemaHas(v.schema?.openAPIV3Schema, pred));
}

function allSchemas(s: InternalSpec): JSONSchemaProps[] {
  const out: JSONSchemaProps[] = [];
  if (s.validation?.openAPIV3Schema) out.push(s.validation.openAPIV3Schema);
  for (const v of s.versions) if (v.schema?.openAPIV3Schema) out.push(v.schema.openAPIV3Schema);
  return out;
}

function allVersionsSpecifyOpenAPISchema(s: InternalSpec): boolean {
  if (s.validation?.openAPIV3Schema) return true;
  return s.versions.every((v) => v.schema?.openAPIV3Schema);
}

function specHasNonStructuralSchema(s: InternalSpec): boolean {
  return allSchemas(s).some((x) => !isStructural(x));
}

/** Whether some default changes when pruned against its own node (an approximation of upstream's PruneDefaults). */
function specHasUnprunedDefaults(s: InternalSpec): boolean {
  return allSchemas(s).some((root) =>
    schemaHas(root, (x) => {
      if (x.default === undefined || x.default === null) return false;
      const copy = JSON.parse(JSON.stringify(x.default)) as unknown;
      prune(copy, x, x['x-kubernetes-embedded-resource'] === true);
      return JSON.stringify(copy) !== JSON.stringify(x.default);
    }),
  );
}

function hasKubernetesExtensions(s: JSONSchemaProps): boolean {
  return (
    s['x-kubernetes-embedded-resource'] === true ||
    s['x-kubernetes-preserve-unknown-fields'] !== undefined ||
    s['x-kubernetes-int-or-string'] === true ||
    !!s['x-kubernetes-list-map-keys']?.length ||
    s['x-kubernetes-list-type'] !== undefined ||
    !!s['x-kubernetes-validations']?.length
  );
}

function hasNonAtomicSetType(s: JSONSchemaProps): boolean {
  const items = itemsOf(s);
  if (s['x-kubernetes-list-type'] !== 'set' || !items) return false;
  if (items.type === 'array') return items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic';
  if (items.type === 'object') return items['x-kubernetes-map-type'] !== 'atomic';
  return false;
}

function validateMapListKeysMapSet(s: JSONSchemaProps, p: FieldPath): FieldError[] {
  const items = itemsOf(s);
  const type = s['x-kubernetes-list-type'];
  if (!items || (type !== 'set' && type !== 'map')) return [];
  const errs: FieldError[] = [];
  if (items.nullable) errs.push(fieldForbidden(p.child('items').child('nullable'), 'cannot be nullable when x-kubernetes-list-type is ' + type));
  if (type === 'map') {
    const required = new Set(items.required ?? []);
    for (const k of s['x-kubernetes-list-map-keys'] ?? []) {
      const prop = items.properties && Object.hasOwn(items.properties, k) ? items.properties[k] : undefined;
      if (!prop) continue;
      if (!required.has(k) && (prop.default === undefined || prop.default === null)) {
        errs.push(
          fieldRequired(
            p.child('items').child('properties').key(k).child('default'),
            'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
          ),
        );
      }
      if (prop.nullable) {
        errs.push(fieldForbidden(p.child('items').child('properties').key(k).child('nullable'), 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
      }
    }
  }
  return errs;
}

/** Fields set (non-zero) on a schema node, by their Go names. */
function setGoFields(s: JSONSchemaProps): string[] {
  const out: string[] = [];
  for (const [json, go] of goFieldNames) {
    const v = (s as Record<string, unknown>)[json];
    if (v === undefined || v === null || v === false || v === '') continue;
    if (Array.isArray(v) && v.length === 0 && json !== 'enum' && json !== 'required') continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && (json === 'properties' || json === 'patternProperties' || json === 'definitions' || json === 'dependencies')) continue;
    out.push(go);
  }
  return out;
}

function validateValidation(v: CustomResourceValidation | undefined, statusEnabled: boolean, opts: Options, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const schema = v?.openAPIV3Schema;
  if (!v || !schema) return errs;
  if (statusEnabled) {
    for (const name of setGoFields(schema)) {
      if (name === 'Type') {
        if (schema.type !== 'object') {
          errs.push(fieldInvalid(p.child('openAPIV3Schema.type'), schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
          break;
        }
        continue;
      }
      if (!allowedFieldsAtRootSchema.includes(name)) {
        errs.push(fieldInvalid(p.child('openAPIV3Schema'), goSchemaProps(schema), `only [${allowedFieldsAtRootSchema.join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`));
        break;
      }
    }
  }
  if (schema.nullable) errs.push(fieldForbidden(p.child('openAPIV3Schema.nullable'), 'nullable cannot be true at the root'));
  const ssv: Ssv = { allowDefaults: opts.allowDefaults, disallowDefaultsReason: '', insideResourceMeta: false, requireValidPropertyType: opts.requireValidPropertyType };
  let structuralInitErrs: FieldError[] = [];
  if (opts.requireStructuralSchema) {
    const convErr = structuralConversionError(schema);
    if (convErr) structuralInitErrs = [fieldInvalid(p.child('openAPIV3Schema'), '', convErr)];
    else {
      const se = validateStructural(p.child('openAPIV3Schema'), schema);
      if (se.length) errs.push(...se);
      else errs.push(...validateDefaults(p.child('openAPIV3Schema'), schema, true, opts.requirePrunedDefaults));
    }
  }
  errs.push(...validateOpenAPISchema(schema, p.child('openAPIV3Schema'), ssv, true, opts));
  if (errs.length === 0 && structuralInitErrs.length > 0) errs.push(...structuralInitErrs);
  return errs;
}

interface Ssv {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
  requireValidPropertyType: boolean;
}

function ssvValidate(s: JSONSchemaProps, p: FieldPath, v: Ssv): FieldError[] {
  const errs: FieldError[] = [];
  if (v.requireValidPropertyType && s.type && !openapiV3Types.includes(s.type)) errs.push(fieldNotSupported(p.child('type'), s.type, openapiV3Types));
  if (s.default !== undefined && s.default !== null && !v.allowDefaults) {
    errs.push(fieldForbidden(p.child('default'), 'must not be set' + (v.disallowDefaultsReason ? ' ' + v.disallowDefaultsReason : '')));
  }
  if (s.id) errs.push(fieldForbidden(p.child('id'), 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(fieldForbidden(p.child('additionalItems'), 'additionalItems is not supported'));
  if (s.patternProperties && Object.keys(s.patternProperties).length) errs.push(fieldForbidden(p.child('patternProperties'), 'patternProperties is not supported'));
  if (s.definitions && Object.keys(s.definitions).length) errs.push(fieldForbidden(p.child('definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(fieldForbidden(p.child('dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(fieldForbidden(p.child('$ref'), '$ref is not supported'));
  if (s.type === 'null') errs.push(fieldForbidden(p.child('type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length) errs.push(fieldForbidden(p.child('items'), 'items must be a schema object and not an array'));
  if (v.insideResourceMeta && s['x-kubernetes-embedded-resource']) {
    errs.push(fieldForbidden(p.child('x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  }
  return errs;
}

function validateOpenAPISchema(s: JSONSchemaProps | undefined, p: FieldPath, ssv: Ssv, isRoot: boolean, opts: Options): FieldError[] {
  if (s === undefined || s === null) return [];
  const errs = ssvValidate(s, p, ssv);
  if (s.uniqueItems) errs.push(fieldForbidden(p.child('uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  const additional = additionalOf(s);
  if (additional) {
    if (s.properties && Object.keys(s.properties).length && (!additional.allows || additional.schema)) {
      errs.push(fieldForbidden(p.child('additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    }
    const sub = ssv.insideResourceMeta ? { ...ssv, allowDefaults: false, disallowDefaultsReason: 'inside additionalProperties applying to object metadata' } : ssv;
    errs.push(...validateOpenAPISchema(additional.schema, p.child('additionalProperties'), sub, false, opts));
  }
  for (const [k, sub] of Object.entries(s.properties ?? {})) {
    let subSsv = ssv;
    if ((isRoot || s['x-kubernetes-embedded-resource']) && metaFields.has(k)) {
      subSsv = { ...subSsv, insideResourceMeta: true };
      if (isRoot) subSsv = { ...subSsv, allowDefaults: false, disallowDefaultsReason: `in top-level ${k}` };
    }
    errs.push(...validateOpenAPISchema(sub, p.child('properties').key(k), subSsv, false, opts));
  }
  errs.push(...validateOpenAPISchema(s.not, p.child('not'), ssv, false, opts));
  (s.allOf ?? []).forEach((x, i) => errs.push(...validateOpenAPISchema(x, p.child('allOf').index(i), ssv, false, opts)));
  (s.oneOf ?? []).forEach((x, i) => errs.push(...validateOpenAPISchema(x, p.child('oneOf').index(i), ssv, false, opts)));
  (s.anyOf ?? []).forEach((x, i) => errs.push(...validateOpenAPISchema(x, p.child('anyOf').index(i), ssv, false, opts)));
  for (const [k, x] of Object.entries(s.definitions ?? {})) errs.push(...validateOpenAPISchema(x, p.child('definitions').key(k), ssv, false, opts));
  if (s.items !== undefined) {
    if (Array.isArray(s.items)) s.items.forEach((x, i) => errs.push(...validateOpenAPISchema(x, p.child('items').index(i), ssv, false, opts)));
    else errs.push(...validateOpenAPISchema(s.items, p.child('items'), ssv, false, opts));
  }
  for (const [k, d] of Object.entries(s.dependencies ?? {})) {
    if (!Array.isArray(d)) errs.push(...validateOpenAPISchema(d, p.child('dependencies').key(k), ssv, false, opts));
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errs.push(fieldInvalid(p.child('x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  }
  const type = s.type ?? '';
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && type !== 'object') {
    if (type === '') errs.push(fieldRequired(p.child('type'), 'must be object if x-kubernetes-map-type is specified'));
    else errs.push(fieldInvalid(p.child('type'), type, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') {
    errs.push(fieldNotSupported(p.child('x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  }
  const listType = s['x-kubernetes-list-type'];
  const items = itemsOf(s);
  if (listType !== undefined && type !== 'array') {
    if (type === '') errs.push(fieldRequired(p.child('type'), 'must be array if x-kubernetes-list-type is specified'));
    else errs.push(fieldInvalid(p.child('type'), type, 'must be array if x-kubernetes-list-type is specified'));
  } else if (opts.requireAtomicSetType && listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
      errs.push(fieldInvalid(p.child('items').child('x-kubernetes-list-type'), items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    } else if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(fieldInvalid(p.child('items').child('x-kubernetes-map-type'), items['x-kubernetes-list-type'] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
  }
  if (listType !== undefined && listType !== 'atomic' && listType !== 'set' && listType !== 'map') {
    errs.push(fieldNotSupported(p.child('x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  }
  const mapKeys = s['x-kubernetes-list-map-keys'] ?? [];
  if (mapKeys.length > 0) {
    if (listType === undefined) errs.push(fieldRequired(p.child('x-kubernetes-list-type'), 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') errs.push(fieldInvalid(p.child('x-kubernetes-list-type'), listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (mapKeys.length === 0) errs.push(fieldRequired(p.child('x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined) errs.push(fieldRequired(p.child('items'), 'must have a schema if x-kubernetes-list-type is map'));
    if (Array.isArray(s.items)) errs.push(fieldInvalid(p.child('items'), new GoRepr('&apiextensions.JSONSchemaPropsOrArray{…}'), 'must only have a single schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object') errs.push(fieldInvalid(p.child('items').child('type'), items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    if (items && items.type === 'object') {
      const seen = new Set<string>();
      for (const k of mapKeys) {
        const prop = items.properties && Object.hasOwn(items.properties, k) ? items.properties[k] : undefined;
        if (prop) {
          if (prop.type === 'array' || prop.type === 'object') {
            errs.push(fieldInvalid(p.child('items').child('properties').key(k).child('type'), items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
          }
        } else {
          errs.push(fieldInvalid(p.child('x-kubernetes-list-map-keys'), mapKeys, 'entries must all be names of item properties'));
        }
        if (seen.has(k)) errs.push(fieldInvalid(p.child('x-kubernetes-list-map-keys'), mapKeys, 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (opts.requireMapListKeysMapSetValidation) errs.push(...validateMapListKeysMapSet(s, p));
  (s['x-kubernetes-validations'] ?? []).forEach((r, i) => {
    const at = p.child('x-kubernetes-validations').index(i);
    const rule = (r.rule ?? '').trim();
    const msg = (r.message ?? '').trim();
    if (rule === '') errs.push(fieldRequired(at.child('rule'), 'rule is not specified'));
    else if ((r.message ?? '').length > 0 && msg === '') errs.push(fieldInvalid(at.child('message'), r.message, 'message must be non-empty if specified'));
    else if (/[\n\r]/.test(msg)) errs.push(fieldInvalid(at.child('message'), r.message, 'message must not contain line breaks'));
    else if (/[\n\r]/.test(rule) && msg === '') errs.push(fieldRequired(at.child('message'), 'message must be specified if rule contains line breaks'));
    if ((r.messageExpression ?? '').length > 0 && (r.messageExpression ?? '').trim() === '') {
      errs.push(fieldRequired(at.child('messageExpression'), 'messageExpression must be non-empty if specified'));
    }
    if (r.reason !== undefined && !supportedValidationReasons.includes(r.reason)) {
      errs.push(fieldNotSupported(at.child('reason'), r.reason, supportedValidationReasons));
    }
    const fp = r.fieldPath ?? '';
    if (fp.length > 0 && fp.trim() === '') errs.push(fieldInvalid(at.child('fieldPath'), fp, 'fieldPath must be non-empty if specified'));
    if (/[\n\r]/.test(fp)) errs.push(fieldInvalid(at.child('fieldPath'), fp, 'fieldPath must not contain line breaks'));
    if (fp.length > 0 && structuralConversionError(s) === undefined && fieldPathError(fp, s, true) !== undefined) {
      errs.push(fieldInvalid(at.child('fieldPath'), fp, 'fieldPath must be a valid path'));
    }
  });
  return errs;
}

// ---- field paths (selectable fields, validation rule field paths) ----

/** cel.ValidFieldPath: the error for a `.a.b` / `['a']` path that does not name a field of `s`, or undefined; sets `found`. */
function fieldPathError(path: string, root: JSONSchemaProps, allowArrayNotation: boolean, found?: { schema?: JSONSchemaProps; first?: string }): string | undefined {
  const tokens = path.match(/'(?:[^'\\]|\\.)*'|[.[\]]|[^.[\]']+/g) ?? [];
  let s: JSONSchemaProps | undefined = root;
  let first: string | undefined;
  const step = (name: string): string | undefined => {
    if (!s) return 'does not refer to a valid field';
    first ??= name;
    if (s.properties) {
      if (!Object.hasOwn(s.properties, name)) return 'does not refer to a valid field';
      s = s.properties[name];
    } else if (additionalOf(s)) {
      s = additionalOf(s)!.schema;
    } else {
      return 'does not refer to a valid field';
    }
    return undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok === '[') {
      if (!allowArrayNotation) return 'array notation is not allowed';
      const lit = tokens[++i];
      if (lit === undefined) return 'unexpected end of JSON path';
      if (lit.length < 2 || lit[0] !== "'" || lit[lit.length - 1] !== "'") return `expected single quoted string but got ${lit}`;
      const e = step(lit.slice(1, -1).replace(/\\(.)/g, '$1'));
      if (e) return e;
      if (tokens[++i] !== ']') return tokens[i] === undefined ? 'unexpected end of JSON path' : `expected ] but got ${tokens[i]}`;
    } else if (tok === '.') {
      const name = tokens[++i];
      if (name === undefined) return 'unexpected end of JSON path';
      const e = step(name);
      if (e) return e;
    } else {
      return `expected [ or . but got: ${tok}`;
    }
  }
  if (found) {
    found.schema = s;
    found.first = first;
  }
  return undefined;
}

function validateSelectableFields(fields: SelectableField[], schema: JSONSchemaProps | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  fields.forEach((f, i) => {
    const at = p.index(i);
    if (!f.jsonPath) {
      errs.push(fieldRequired(at.child('jsonPath')));
      return;
    }
    const found: { schema?: JSONSchemaProps; first?: string } = {};
    const e = schema ? fieldPathError(f.jsonPath, schema, false, found) : 'does not refer to a valid field';
    if (e) {
      errs.push(fieldInvalid(at.child('jsonPath'), f.jsonPath, `is an invalid path: ${e}`));
      return;
    }
    if (found.first === 'metadata') errs.push(fieldInvalid(at.child('jsonPath'), f.jsonPath, 'must not point to fields in metadata'));
    const t = found.schema?.type;
    if (t !== 'string' && t !== 'boolean' && t !== 'integer') {
      errs.push(fieldInvalid(at.child('jsonPath'), f.jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    const key = f.jsonPath.replace(/^\./, '');
    if (unique.has(key)) errs.push(fieldDuplicate(at.child('jsonPath'), f.jsonPath));
    else unique.add(key);
  });
  if (unique.size > maxSelectableFields) errs.push(fieldTooMany(p, unique.size, maxSelectableFields));
  return errs;
}

// ---- API approval and preserveUnknownFields ----

const approvalAnnotation = 'api-approved.kubernetes.io';

function isProtectedCommunityGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

type ApprovalState = 'invalid' | 'approved' | 'bypassed' | 'missing';

function approvalState(annotations: Record<string, string> | undefined): [ApprovalState, string] {
  const a = annotations?.[approvalAnnotation] ?? '';
  if (a === '') {
    return ['missing', `protected groups must have approval annotation "${approvalAnnotation}", see https://github.com/kubernetes/enhancements/pull/1111`];
  }
  if (a.startsWith('unapproved')) return ['bypassed', `not approved: ${JSON.stringify(a)}`];
  let parsed: URL | undefined;
  try {
    parsed = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(a) ? new URL(a) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && parsed.host && parsed.protocol) return ['approved', `approved in ${a}`];
  return [
    'invalid',
    `protected groups must have approval annotation "${approvalAnnotation}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`,
  ];
}

function validateAPIApproval(crd: CustomResourceDefinition, old: CustomResourceDefinition | undefined): FieldError[] {
  if (!isProtectedCommunityGroup(crd.spec?.group ?? '')) return [];
  const oldState = old ? approvalState(old.metadata.annotations)[0] : undefined;
  const [state, reason] = approvalState(crd.metadata.annotations);
  if (oldState !== undefined && oldState === state) return [];
  const p = FieldPath.root('metadata').child('annotations').key(approvalAnnotation);
  if (state === 'missing') return [fieldRequired(p, reason)];
  if (state === 'invalid') return [fieldInvalid(p, crd.metadata.annotations?.[approvalAnnotation] ?? '', reason)];
  return [];
}

function validatePreserveUnknownFields(crd: CustomResourceDefinition, old: CustomResourceDefinition | undefined): FieldError[] {
  if (old?.spec?.preserveUnknownFields === true) return [];
  if (crd.spec?.preserveUnknownFields === true) {
    return [
      fieldInvalid(
        FieldPath.root('spec').child('preserveUnknownFields'),
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    ];
  }
  return [];
}

export type { CRDSpec };
