// Validates a custom resource against its openAPIV3Schema with kube-openapi's rules and words, as field errors.
//
// Order and wording follow k8s.io/kube-openapi/pkg/validation/validate (the version Kubernetes 1.33 vendors):
// per node the type, allOf/anyOf/oneOf/not, string, format, number, array, enum and object validators run in
// that order; each error names its JSON path (`spec.replicas`, `spec.ports[0]`) and "in body". The apiextensions
// server then turns them into field errors (kubeOpenAPIResultToFieldErrors): `spec.replicas: Invalid value:
// "string": spec.replicas in body must be of type integer: "string"`. Updates ratchet: a value equal to the
// stored one is not held against the object (CRDValidationRatcheting, GA in 1.33).
import {
  FieldError,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  fieldTooMany,
  GoRepr,
  goFloat,
  goInterfaceRepr,
  goQuote,
} from '../../machinery/field-errors.ts';
import { isSupportedFormat, matchesFormat } from './formats.ts';
import { additionalOf, isIntOrString, isObject, itemsOf, jsonEqual, type JSONSchemaProps } from './json-schema.ts';
import { compileGoRegexp } from './go-regexp.ts';

type Code =
  | 'InvalidType'
  | 'Required'
  | 'TooLong'
  | 'TooShort'
  | 'Pattern'
  | 'Enum'
  | 'MultipleOf'
  | 'Max'
  | 'Min'
  | 'Unique'
  | 'MaxItems'
  | 'MinItems'
  | 'TooFewProperties'
  | 'TooManyProperties'
  | 'UnallowedProperty'
  | 'MultipleOfMustBePositive';

/** One kube-openapi error: a Validation (with a code, a name and the offending value) or a plain composite message. */
interface OpenApiError {
  code?: Code;
  name: string;
  value?: unknown;
  valid?: number;
  values?: unknown[];
  message: string;
}

class Result {
  errors: OpenApiError[] = [];
  matchCount = 0;

  add(...errs: OpenApiError[]): this {
    for (const e of errs) if (!this.errors.some((x) => x.message === e.message)) this.errors.push(e);
    return this;
  }

  merge(...others: (Result | undefined)[]): this {
    for (const o of others) {
      if (!o) continue;
      this.add(...o.errors);
      this.matchCount += o.matchCount;
    }
    return this;
  }

  get valid(): boolean {
    return this.errors.length === 0;
  }
}

type DataKind = 'nil' | 'bool' | 'string' | 'int' | 'float' | 'slice' | 'map';

function kindOf(v: unknown): DataKind {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER * 1024 ? 'int' : 'float';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

/** The OpenAPI type and format Go's reflection gives a decoded JSON value (schemaInfoForType). */
function schemaInfo(k: DataKind): [string, string] {
  switch (k) {
    case 'bool':
      return ['boolean', ''];
    case 'string':
      return ['string', ''];
    case 'int':
      return ['integer', 'int64'];
    case 'float':
      return ['number', 'float64'];
    case 'slice':
      return ['array', ''];
    default:
      return ['object', ''];
  }
}

/**
 * The schema's type list as the validator sees it: `x-kubernetes-int-or-string` means integer or string when the
 * validator is built from the CRD (ConvertJSONSchemaProps), but not when built from a structural schema (defaults).
 */
function typesOf(s: JSONSchemaProps, ctx: Ctx): string[] {
  if (!ctx.structural && isIntOrString(s)) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

/** Unsupported formats are stripped before validation (StripUnsupportedFormatsPostProcessor). */
const formatOf = (s: JSONSchemaProps) => (isSupportedFormat(s.format) ? s.format! : '');

/** Go's `%v` of a number held as int64 or float64. */
const goNum = (n: number, asInt: boolean) => (asInt ? String(Math.trunc(n)) : goFloat(n));

/** Go's `%v` of a []interface{} (enum values in the message). */
function goSliceV(values: unknown[]): string {
  const one = (v: unknown): string => {
    if (v === null || v === undefined) return '<nil>';
    if (typeof v === 'number') return goNum(v, Number.isInteger(v));
    if (Array.isArray(v)) return `[${v.map(one).join(' ')}]`;
    if (isObject(v)) {
      return `map[${Object.keys(v)
        .sort()
        .map((k) => `${k}:${one(v[k])}`)
        .join(' ')}]`;
    }
    return String(v);
  };
  return `[${values.map(one).join(' ')}]`;
}

const inBody = (name: string, rest: string) => `${name} in body ${rest}`;

function invalidType(path: string, typeName: string, value: unknown): OpenApiError {
  const msg =
    typeof value === 'string' ? inBody(path, `must be of type ${typeName}: ${goQuote(value)}`) : inBody(path, `must be of type ${typeName}`);
  return { code: 'InvalidType', name: path, value, message: msg };
}

/** The old value correlated with the node being validated (for ratcheting), if any. */
interface Correlation {
  old: unknown;
}

interface Ctx {
  /** Validating an update: nodes equal to their correlated old value keep no errors. */
  ratchet: boolean;
  /** Built from a structural schema: int-or-string adds no type. */
  structural: boolean;
}

function validateNode(s: JSONSchemaProps, data: unknown, path: string, corr: Correlation | undefined, ctx: Ctx): Result {
  const r = validateNodeRaw(s, data, path, corr, ctx);
  if (corr && ctx.ratchet && !r.valid && jsonEqual(data, corr.old)) return new Result();
  return r;
}

function validateNodeRaw(s: JSONSchemaProps, data: unknown, path: string, corr: Correlation | undefined, ctx: Ctx): Result {
  const result = new Result();
  const kind = kindOf(data);
  if (kind === 'nil') {
    result.merge(typeValidator(s, null, path, ctx));
    result.merge(enumValidator(s, null, path));
    return result;
  }
  const types = typesOf(s, ctx);
  const merge = (r: Result | undefined) => {
    result.merge(r);
    result.matchCount++;
  };
  if (types.length > 0 || formatOf(s) !== '') merge(typeValidator(s, data, path, ctx));
  merge(schemaPropsValidator(s, data, path, corr, ctx));
  if (kind === 'string') merge(stringValidator(s, data as string, path));
  if (kind === 'string' && formatOf(s) !== '') merge(formatValidator(s, data as string, path));
  if (kind === 'int' || kind === 'float') merge(numberValidator(s, data as number, kind === 'int', path));
  if (kind === 'slice') merge(sliceValidator(s, data as unknown[], path, corr, ctx));
  merge(enumValidator(s, data, path));
  if (kind === 'map') merge(objectValidator(s, data as Record<string, unknown>, path, corr, ctx));
  result.matchCount++;
  return result;
}

function typeValidator(s: JSONSchemaProps, data: unknown, path: string, ctx: Ctx): Result {
  const result = new Result();
  result.matchCount++;
  const types = typesOf(s, ctx);
  const format = formatOf(s);
  if (data === null || data === undefined) {
    if (types.length > 0 && !types.includes('null') && !s.nullable) return new Result().add(invalidType(path, types.join(','), 'null'));
    return result;
  }
  const kind = kindOf(data);
  const [schType, schFormat] = schemaInfo(kind);
  const isLowerInt = format === 'int64' && schFormat === 'int32';
  const isLowerFloat = format === 'float64' && schFormat === 'float32';
  const isFloatInt = schType === 'number' && Number.isInteger(data) && types.includes('integer');
  const isIntFloat = schType === 'integer' && types.includes('number');
  if (
    kind !== 'string' &&
    kind !== 'slice' &&
    format !== '' &&
    !(types.includes(schType) || schFormat === format || isFloatInt || isIntFloat || isLowerInt || isLowerFloat)
  ) {
    return new Result().add(invalidType(path, format, schFormat));
  }
  if (!(types.includes('number') || types.includes('integer')) && format !== '' && (kind === 'string' || kind === 'slice')) return result;
  if (!(types.includes(schType) || isFloatInt || isIntFloat)) return new Result().add(invalidType(path, types.join(','), schType));
  return result;
}

function schemaPropsValidator(s: JSONSchemaProps, data: unknown, path: string, corr: Correlation | undefined, ctx: Ctx): Result {
  const main = new Result();
  if (s.anyOf?.length) {
    let best: Result | undefined;
    let firstSuccess: Result | undefined;
    let succeeded = false;
    for (const sub of s.anyOf) {
      const r = validateNode(sub, data, path, corr, ctx);
      if (r.valid) {
        best = undefined;
        succeeded = true;
        firstSuccess ??= r;
        break;
      }
      if (!best || r.matchCount > best.matchCount) best = r;
    }
    if (!succeeded) main.add({ name: path, message: `${goQuote(path)} must validate at least one schema (anyOf)` });
    if (best) main.merge(best);
    else if (firstSuccess) main.merge(firstSuccess);
  }
  if (s.oneOf?.length) {
    let best: Result | undefined;
    let firstSuccess: Result | undefined;
    let validated = 0;
    for (const sub of s.oneOf) {
      const r = validateNode(sub, data, path, corr, ctx);
      if (r.valid) {
        validated++;
        best = undefined;
        firstSuccess ??= r;
        continue;
      }
      if (validated === 0 && (!best || r.matchCount > best.matchCount)) best = r;
    }
    if (validated !== 1) {
      const extra = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`;
      main.add({ name: path, message: `${goQuote(path)} must validate one and only one schema (oneOf). ${extra}` });
      if (best) main.merge(best);
    } else if (firstSuccess) {
      main.merge(firstSuccess);
    }
  }
  if (s.allOf?.length) {
    let validated = 0;
    for (const sub of s.allOf) {
      const r = validateNode(sub, data, path, corr, ctx);
      if (r.valid) validated++;
      main.merge(r);
    }
    if (validated !== s.allOf.length) {
      main.add({ name: path, message: `${goQuote(path)} must validate all the schemas (allOf)${validated === 0 ? '. None validated' : ''}` });
    }
  }
  if (s.not) {
    if (validateNode(s.not, data, path, corr, ctx).valid) main.add({ name: path, message: `${goQuote(path)} must not validate the schema (not)` });
  }
  main.matchCount++;
  return main;
}

function stringValidator(s: JSONSchemaProps, data: string, path: string): Result {
  const r = new Result();
  const runes = [...data].length;
  if (s.maxLength !== undefined && runes > s.maxLength) {
    return r.add({ code: 'TooLong', name: path, value: data, valid: s.maxLength, message: inBody(path, `should be at most ${s.maxLength} chars long`) });
  }
  if (s.minLength !== undefined && runes < s.minLength) {
    return r.add({ code: 'TooShort', name: path, value: data, valid: s.minLength, message: inBody(path, `should be at least ${s.minLength} chars long`) });
  }
  if (s.pattern) {
    const re = compileGoRegexp(s.pattern);
    if (re instanceof Error) {
      return r.add({ code: 'Pattern', name: path, value: data, message: inBody(path, `should match '${s.pattern}, but pattern is invalid: ${re.message}'`) });
    }
    if (!re.test(data)) return r.add({ code: 'Pattern', name: path, value: data, message: inBody(path, `should match '${s.pattern}'`) });
  }
  return r;
}

function formatValidator(s: JSONSchemaProps, data: string, path: string): Result {
  const format = formatOf(s);
  if (!matchesFormat(format, data)) return new Result().add(invalidType(path, format, data));
  return new Result();
}

function numberValidator(s: JSONSchemaProps, data: number, isInt: boolean, path: string): Result {
  const r = new Result();
  const multiple = new Result();
  const minimum = new Result();
  const maximum = new Result();
  if (s.multipleOf !== undefined) {
    const factor = isInt ? Math.trunc(s.multipleOf) : s.multipleOf;
    if (factor <= 0) {
      multiple.add({
        code: 'MultipleOfMustBePositive',
        name: path,
        value: factor,
        message: `factor MultipleOf declared for ${path} must be positive: ${goNum(factor, isInt)}`,
      });
    } else {
      const mult = isInt ? null : factor < 1 ? (1 / factor) * data : data / factor;
      const ok = isInt ? data % factor === 0 : Number.isInteger(mult!);
      if (!ok) multiple.add({ code: 'MultipleOf', name: path, value: data, message: inBody(path, `should be a multiple of ${goNum(factor, isInt)}`) });
    }
  }
  if (s.maximum !== undefined) {
    const max = isInt ? Math.trunc(s.maximum) : s.maximum;
    const ex = !!s.exclusiveMaximum;
    if ((!ex && data > max) || (ex && data >= max)) {
      maximum.add({ code: 'Max', name: path, value: data, message: inBody(path, `should be less than ${ex ? '' : 'or equal to '}${goNum(max, isInt)}`) });
    }
  }
  if (s.minimum !== undefined) {
    const min = isInt ? Math.trunc(s.minimum) : s.minimum;
    const ex = !!s.exclusiveMinimum;
    if ((!ex && data < min) || (ex && data <= min)) {
      minimum.add({ code: 'Min', name: path, value: data, message: inBody(path, `should be greater than ${ex ? '' : 'or equal to '}${goNum(min, isInt)}`) });
    }
  }
  r.merge(multiple, minimum, maximum);
  r.matchCount++;
  return r;
}

/** The old list item correlated with `item` in a `x-kubernetes-list-type: map` list (same key values). */
function correlateListItem(s: JSONSchemaProps, item: unknown, old: unknown): Correlation | undefined {
  if (s['x-kubernetes-list-type'] !== 'map' || !Array.isArray(old) || !isObject(item)) return undefined;
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  const match = old.find((o) => isObject(o) && keys.every((k) => jsonEqual(o[k], item[k])));
  return match === undefined ? undefined : { old: match };
}

function sliceValidator(s: JSONSchemaProps, data: unknown[], path: string, corr: Correlation | undefined, ctx: Ctx): Result {
  const r = new Result();
  const items = itemsOf(s);
  if (items) {
    data.forEach((item, i) => {
      const c = corr ? correlateListItem(s, item, corr.old) : undefined;
      r.merge(validateNode(items, item, `${path}[${i}]`, c, ctx));
    });
  }
  if (s.minItems !== undefined && data.length < s.minItems) {
    r.add({ code: 'MinItems', name: path, value: data.length, valid: s.minItems, message: inBody(path, `should have at least ${s.minItems} items`) });
  }
  if (s.maxItems !== undefined && data.length > s.maxItems) {
    r.add({ code: 'MaxItems', name: path, value: data.length, valid: s.maxItems, message: inBody(path, `should have at most ${s.maxItems} items`) });
  }
  if (s.uniqueItems && data.some((x, i) => data.slice(0, i).some((y) => jsonEqual(x, y)))) {
    r.add({ code: 'Unique', name: path, message: inBody(path, `shouldn't contain duplicates`) });
  }
  r.matchCount++;
  return r;
}

function enumValidator(s: JSONSchemaProps, data: unknown, path: string): Result | undefined {
  if (!s.enum?.length) return undefined;
  if (data !== null && data !== undefined && s.enum.some((e) => e !== null && jsonEqual(data, e))) return undefined;
  return new Result().add({ code: 'Enum', name: path, value: data, values: s.enum, message: inBody(path, `should be one of ${goSliceV(s.enum)}`) });
}

function objectValidator(s: JSONSchemaProps, data: Record<string, unknown>, path: string, corr: Correlation | undefined, ctx: Ctx): Result {
  const r = new Result();
  const keys = Object.keys(data);
  if (s.minProperties !== undefined && keys.length < s.minProperties) {
    r.add({ code: 'TooFewProperties', name: path, value: keys.length, valid: s.minProperties, message: inBody(path, `should have at least ${s.minProperties} properties`) });
  }
  if (s.maxProperties !== undefined && keys.length > s.maxProperties) {
    r.add({ code: 'TooManyProperties', name: path, value: keys.length, valid: s.maxProperties, message: inBody(path, `should have at most ${s.maxProperties} properties`) });
  }
  const props = s.properties ?? {};
  const declared = (k: string) => Object.hasOwn(props, k);
  const oldMap = corr && isObject(corr.old) ? corr.old : undefined;
  const child = (k: string): Correlation | undefined =>
    oldMap && Object.hasOwn(oldMap, k) && !(path === '' && (k === 'kind' || k === 'apiVersion')) ? { old: oldMap[k] } : undefined;
  const additional = additionalOf(s);
  if (additional && !additional.allows) {
    for (const k of keys) {
      if (!declared(k)) r.add({ code: 'UnallowedProperty', name: path, value: k, message: `${path}.${k} in body is a forbidden property` });
    }
  } else if (additional?.schema) {
    for (const k of keys) if (!declared(k)) r.merge(validateNode(additional.schema, data[k], `${path}.${k}`, child(k), ctx));
  }
  for (const [name, ps] of Object.entries(props)) {
    if (!Object.hasOwn(data, name)) continue;
    r.merge(validateNode(ps, data[name], path === '' ? name : `${path}.${name}`, child(name), ctx));
  }
  for (const k of s.required ?? []) {
    if (!Object.hasOwn(data, k)) r.add({ code: 'Required', name: `${path}.${k}`, message: inBody(`${path}.${k}`, 'is required') });
  }
  return r;
}

/** Go's `%#v` (or `%v` for simple kinds) of a decoded JSON value, as field errors print bad values. */
export function goJsonValue(v: unknown): unknown {
  if (Array.isArray(v) || isObject(v)) return new GoRepr(goInterfaceRepr(v));
  return v;
}

/** Turns kube-openapi errors into field errors under `fldPath` (`<nil>` when there is none), as apiextensions does. */
function toFieldErrors(fldPath: string | undefined, result: Result): FieldError[] {
  const root = fldPath ?? '<nil>';
  const at = (name: string) => {
    const trimmed = name.startsWith('.') ? name.slice(1) : name;
    if (name === '' || name === '.') return root;
    return fldPath ? `${fldPath}.${trimmed}` : trimmed;
  };
  return result.errors.map((e) => {
    if (!e.code) return new FieldError('FieldValueInvalid', root, '', e.message);
    const p = at(e.name);
    switch (e.code) {
      case 'Required':
        return fieldRequired(p);
      case 'Enum': {
        const values = (e.values ?? []).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
        return fieldNotSupported(p, goJsonValue(e.value), values);
      }
      case 'TooLong':
        return fieldTooLong(p, '', e.valid ?? -1);
      case 'MaxItems':
      case 'TooManyProperties':
        return fieldTooMany(p, typeof e.value === 'number' ? e.value : -1, e.valid ?? -1);
      case 'InvalidType':
        return new FieldError('FieldValueTypeInvalid', p, e.value === undefined || e.value === null ? '' : goJsonValue(e.value), e.message);
      default:
        return new FieldError('FieldValueInvalid', p, e.value === undefined || e.value === null ? '' : goJsonValue(e.value), e.message);
    }
  });
}

/**
 * Validates `data` against `schema`. `fldPath` prefixes field paths (`status` for the status subresource, a
 * `…default` path for CRD defaults); `old`, when given, ratchets errors on values that did not change;
 * `structural` validates as a validator built from the structural schema (CRD defaults) does.
 */
export function validateAgainstSchema(
  schema: JSONSchemaProps,
  data: unknown,
  opts: { fldPath?: string; old?: unknown; structural?: boolean } = {},
): FieldError[] {
  const ctx: Ctx = { ratchet: opts.old !== undefined, structural: !!opts.structural };
  const result = validateNode(schema, data, '', opts.old !== undefined ? { old: opts.old } : undefined, ctx);
  return toFieldErrors(opts.fldPath, result);
}
