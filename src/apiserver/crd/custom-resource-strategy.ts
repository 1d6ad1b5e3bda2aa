// The strategy of a custom resource kind: status reset and carry-over, generation, schema validation and warnings.
//
// As upstream's customresource strategy and validator. Objects reach the store in the storage version, so they
// are validated against the storage version's schema (versions that differ only by name behave exactly).
import { FieldError, fieldInvalid, goQuote } from '../../machinery/field-errors.ts';
import { isQualifiedName } from '../../machinery/validation.ts';
import type { Strategy } from '../registry/strategy.ts';
import type { KObject } from '../registry/kobject.ts';
import { isObject, jsonEqual, type JSONSchemaProps } from './json-schema.ts';
import { validateAgainstSchema } from './schema-validator.ts';
import { validateEmbedded } from './object-meta.ts';
import { validateListSetsAndMaps } from './list-type.ts';
import { customResourcePrinter } from './printer.ts';
import { JsonPath } from './jsonpath.ts';
import { versionOf, type CustomResourceModel } from './custom-resource-model.ts';
import type { ScaleSubresource } from '../resources/apiextensions/customresourcedefinition/types.ts';

const maxInt32 = 2147483647;
const standardFinalizers = new Set(['orphan', 'foregroundDeletion', 'kubernetes']);

/** Go's `%T` of a decoded JSON value. */
function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (v === null) return '<nil>';
  return 'map[string]interface {}';
}

/** Go's `%v` of a decoded JSON value. */
function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goV).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goV(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** unstructured.NestedFieldNoCopy along a `.a.b` path: the value, whether found, or the accessor error. */
function nested(obj: unknown, path: string): { value?: unknown; found: boolean; error?: string } {
  const fields = path.replace(/^\./, '').split('.');
  let cur: unknown = obj;
  for (let i = 0; i < fields.length; i++) {
    if (!isObject(cur)) {
      if (cur === undefined || cur === null) return { found: false };
      return { found: false, error: `value cannot be found at path .${fields.slice(0, i).join('.')}` };
    }
    if (!Object.hasOwn(cur, fields[i])) return { found: false };
    cur = cur[fields[i]];
  }
  return { value: cur, found: true };
}

function validateReplicasPath(obj: KObject, path: string): FieldError[] {
  const r = nested(obj, path);
  if (!r.found) return [];
  const v = r.value;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    return [fieldInvalid(path, 0, `.${path.replace(/^\./, '')} accessor error: ${goV(v)} is of the type ${goType(v)}, expected int64`)];
  }
  if (v < 0) return [fieldInvalid(path, v, 'should be a non-negative integer')];
  if (v > maxInt32) return [fieldInvalid(path, v, `should be less than or equal to ${maxInt32}`)];
  return [];
}

function validateScaleSpec(obj: KObject, scale: ScaleSubresource | undefined): FieldError[] {
  return scale?.specReplicasPath ? validateReplicasPath(obj, scale.specReplicasPath) : [];
}

function validateScaleStatus(obj: KObject, scale: ScaleSubresource | undefined): FieldError[] {
  if (!scale) return [];
  const errs = scale.statusReplicasPath ? validateReplicasPath(obj, scale.statusReplicasPath) : [];
  if (scale.labelSelectorPath) {
    const r = nested(obj, scale.labelSelectorPath);
    if (r.found && typeof r.value !== 'string') {
      errs.push(
        fieldInvalid(scale.labelSelectorPath, '', `.${scale.labelSelectorPath.replace(/^\./, '')} accessor error: ${goV(r.value)} is of the type ${goType(r.value)}, expected string`),
      );
    }
  }
  return errs;
}

/** apiVersion and kind must be the kind's (ValidateTypeMeta). */
function validateTypeMeta(obj: KObject, group: string, version: string, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.kind !== kind) errs.push(fieldInvalid('kind', obj.kind ?? '', `must be ${kind}`));
  if (obj.apiVersion !== `${group}/${version}`) errs.push(fieldInvalid('apiVersion', obj.apiVersion ?? '', `must be ${group}/${version}`));
  return errs;
}

/** Warnings for finalizers that are not domain-qualified (validateKubeFinalizerName). */
function finalizerWarnings(obj: KObject, old: KObject | undefined): string[] {
  const before = new Set(old?.metadata.finalizers ?? []);
  const added = [...new Set(obj.metadata.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  const out: string[] = [];
  for (const f of added) {
    for (const msg of isQualifiedName(f)) out.push(`metadata.finalizers: ${goQuote(f)}: ${msg}`);
    if (!f.includes('/') && !standardFinalizers.has(f)) {
      out.push(
        f.includes('.')
          ? `metadata.finalizers: ${goQuote(f)}: prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`
          : `metadata.finalizers: ${goQuote(f)}: prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers`,
      );
    }
  }
  return out;
}

const nonMetadata = (o: KObject) => {
  const { metadata: _m, ...rest } = o;
  return JSON.parse(JSON.stringify(rest)) as unknown;
};

/** The Strategy of a custom resource served from `model` (its storage version's schema, subresources and columns). */
export function customResourceStrategy(model: CustomResourceModel): Strategy {
  const storage = versionOf(model, model.storageVersion)!;
  const schema: JSONSchemaProps | undefined = storage.schema;
  const statusEnabled = storage.subresources?.status !== undefined;
  const scale = storage.subresources?.scale;
  const { group, names } = model;
  const statusSchema = schema?.properties?.status;
  const selectable = (storage.selectableFields ?? []).map((f) => {
    const name = (f.jsonPath ?? '').replace(/^\./, '');
    try {
      return { name, path: JsonPath.parse(`{${f.jsonPath ?? ''}}`) };
    } catch {
      return { name, path: undefined };
    }
  });

  const validateObject = (obj: KObject, old: KObject | undefined): FieldError[] => {
    const tm = validateTypeMeta(obj, group, model.storageVersion, names.kind);
    if (tm.length) return tm;
    const errs: FieldError[] = [];
    if (schema) errs.push(...validateAgainstSchema(schema, obj, old ? { old } : {}));
    errs.push(...validateScaleSpec(obj, scale));
    errs.push(...validateScaleStatus(obj, scale));
    errs.push(...validateEmbedded(undefined, obj, schema, false));
    const listErrs = validateListSetsAndMaps(undefined, schema, obj);
    if (!old || validateListSetsAndMaps(undefined, schema, old).length === 0) errs.push(...listErrs);
    return errs;
  };

  const validateStatusUpdate = (obj: KObject, old: KObject): FieldError[] => {
    const tm = validateTypeMeta(obj, group, model.storageVersion, names.kind);
    if (tm.length) return tm;
    const errs: FieldError[] = [];
    if (statusSchema && Object.hasOwn(obj, 'status') && obj.status !== undefined) {
      errs.push(...validateAgainstSchema(statusSchema, obj.status, { fldPath: 'status', old: old.status ?? null }));
    }
    errs.push(...validateScaleStatus(obj, scale));
    const newErrs = validateListSetsAndMaps(undefined, schema, obj);
    if (newErrs.length && validateListSetsAndMaps(undefined, schema, old).length === 0) errs.push(...newErrs);
    return errs;
  };

  return {
    prepareForCreate(obj) {
      if (statusEnabled) delete obj.status;
      obj.metadata.generation = 1;
    },
    prepareForUpdate(obj, old) {
      if (statusEnabled) {
        if (old.status !== undefined) obj.status = structuredClone(old.status);
        else delete obj.status;
      }
      const generation = old.metadata.generation ?? 0;
      obj.metadata.generation = jsonEqual(nonMetadata(obj), nonMetadata(old)) ? generation : generation + 1;
    },
    validate: (obj) => validateObject(obj, undefined),
    validateUpdate(obj, old) {
      // A status write changes status only: the store keeps everything else, so a changed status means one.
      if (statusEnabled && !jsonEqual(obj.status ?? null, old.status ?? null)) return validateStatusUpdate(obj, old);
      return validateObject(obj, old);
    },
    warnings: (obj, old) => finalizerWarnings(obj, old),
    printer: customResourcePrinter(storage.columns),
    selectableFields(obj) {
      const out: Record<string, string> = {};
      for (const f of selectable) {
        let value: unknown;
        try {
          value = f.path?.findResults(obj)[0]?.[0];
        } catch {
          value = undefined;
        }
        out[f.name] = value === undefined || value === null ? '' : typeof value === 'string' ? value : goV(value);
      }
      return out;
    },
  };
}

