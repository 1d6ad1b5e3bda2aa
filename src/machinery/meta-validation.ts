// ObjectMeta, label and label-selector validation with apimachinery v0.33's exact field errors (api/validation and
// meta/v1/validation as of Kubernetes 1.33).
import {
  FieldError,
  FieldPath,
  GoRepr,
  fieldForbidden,
  fieldInvalid,
  fieldRequired,
  fieldTooLong,
  goQuote,
  goStringSlice,
} from './field-errors.ts';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isPathSegmentName,
  isPathSegmentPrefix,
  isQualifiedName,
  isValidLabelValue,
} from './validation.ts';

export interface OwnerReferenceLike {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean | null;
  blockOwnerDeletion?: boolean | null;
}

export interface ManagedFieldsEntryLike {
  manager?: string;
  operation?: string;
  fieldsType?: string;
  subresource?: string;
  [key: string]: unknown;
}

/** The ObjectMeta fields validation reads; structurally compatible with the registry's ObjectMeta. */
export interface ObjectMetaLike {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  deletionGracePeriodSeconds?: number | null;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  ownerReferences?: OwnerReferenceLike[] | null;
  finalizers?: string[] | null;
  managedFields?: unknown[] | null;
}

export interface LabelSelectorLike {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

/** Which rule an object's name must follow. */
export type NameValidation = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label' | 'pathSegment';

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameValidation: NameValidation;
}

export const fieldImmutableErrorMsg = 'field is immutable';
export const isNegativeErrorMsg = 'must be greater than or equal to 0';
export const totalAnnotationSizeLimitB = 256 * (1 << 10);
export const fieldManagerMaxLength = 128;
export const maxSubresourceNameLength = 256;
export const finalizerOrphanDependents = 'orphan';
export const finalizerDeleteDependents = 'foregroundDeletion';

/**
 * Go's `%#v` prints a non-nil pointer as its address, which cannot be reproduced; this stands in
 * for it (e.g. an OwnerReference's `Controller:(*bool)(0xc000010000)`).
 */
export const goPointerPlaceholder = '0xc000010000';

/** strings.ToLower: rune by rune, without JavaScript's context-sensitive and multi-rune mappings. */
function goToLower(s: string): string {
  let out = '';
  for (const ch of s) out += String.fromCodePoint(ch.toLowerCase().codePointAt(0)!);
  return out;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// ---- name rules (api/validation/generic.go) ----

/** Upstream's maskTrailingDash, including its quirk of dropping two characters. */
function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return `${name.slice(0, -2)}a`;
  return name;
}

/** ValidateNameFunc: `prefix` is true for a generateName, which may end in a dash. */
export type NameFunc = (name: string, prefix: boolean) => string[];

export const nameIsDNSSubdomain: NameFunc = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: NameFunc = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
export const nameIsPathSegment: NameFunc = (name, prefix) => (prefix ? isPathSegmentPrefix(name) : isPathSegmentName(name));
export const validateNamespaceName: NameFunc = nameIsDNSLabel;

export const nameFuncs: Record<NameValidation, NameFunc> = {
  dns1123Subdomain: nameIsDNSSubdomain,
  dns1123Label: nameIsDNSLabel,
  dns1035Label: nameIsDNS1035Label,
  pathSegment: nameIsPathSegment,
};

// ---- pieces ----

export function validateNonnegativeField(value: number, path: FieldPath): FieldError[] {
  return value < 0 ? [fieldInvalid(path, value, isNegativeErrorMsg)] : [];
}

/** A label key (qualified name); each upstream message is its own error. */
export function validateLabelName(name: string, path: FieldPath): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldInvalid(path, name, msg));
}

/** metav1validation.ValidateLabels: errors are reported on the map's path, not per key. */
export function validateLabels(labels: Readonly<Record<string, string>> | null | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    for (const msg of isValidLabelValue(v)) errs.push(fieldInvalid(path, v, msg));
  }
  return errs;
}

/** Annotation keys are qualified names compared case-insensitively; keys plus values are capped at 256 KiB. */
export function validateAnnotations(annotations: Readonly<Record<string, string>> | null | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(goToLower(k))) errs.push(fieldInvalid(path, k, msg));
    total += byteLength(k) + byteLength(v);
  }
  if (total > totalAnnotationSizeLimitB) errs.push(fieldTooLong(path, '', totalAnnotationSizeLimitB));
  return errs;
}

/** schema.ParseGroupVersion: "" and "v1" are the core group; more than one slash is an error. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } | undefined {
  if (apiVersion.length === 0 || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return undefined;
}

/** A metav1.OwnerReference as Go's `%#v` prints it (1.33 prints structured bad values this way). */
export function goOwnerReference(ref: OwnerReferenceLike): string {
  const ptr = (b: boolean | null | undefined) => (b == null ? '(*bool)(nil)' : `(*bool)(${goPointerPlaceholder})`);
  return (
    `v1.OwnerReference{APIVersion:${goQuote(ref.apiVersion ?? '')}, Kind:${goQuote(ref.kind ?? '')}, ` +
    `Name:${goQuote(ref.name ?? '')}, UID:${goQuote(ref.uid ?? '')}, ` +
    `Controller:${ptr(ref.controller)}, BlockOwnerDeletion:${ptr(ref.blockOwnerDeletion)}}`
  );
}

/** A []metav1.OwnerReference as Go's `%#v` prints it. */
function goOwnerReferences(refs: readonly OwnerReferenceLike[] | null | undefined): string {
  if (refs == null) return '[]v1.OwnerReference(nil)';
  return `[]v1.OwnerReference{${refs.map(goOwnerReference).join(', ')}}`;
}

/**
 * A metav1.Time as its (promoted) time.Time String method prints it in a UTC process:
 * `2024-01-02 03:04:05 +0000 UTC`, fractional seconds without trailing zeros; the zero time for unset.
 */
export function goMetaTime(t: string | null | undefined): GoRepr {
  if (t == null || t === '') return new GoRepr('0001-01-01 00:00:00 +0000 UTC');
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return new GoRepr(goQuote(t));
  const frac = /\.(\d+)/.exec(t.slice(t.indexOf('T')))?.[1]?.replace(/0+$/, '') ?? '';
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return new GoRepr(`${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`);
}

function validateOwnerReference(ref: OwnerReferenceLike, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const apiVersion = ref.apiVersion ?? '';
  const kind = ref.kind ?? '';
  const gv = parseGroupVersion(apiVersion) ?? { group: '', version: '' };
  if (gv.version.length === 0) errs.push(fieldInvalid(path.child('apiVersion'), apiVersion, 'version must not be empty'));
  if (kind.length === 0) errs.push(fieldInvalid(path.child('kind'), kind, 'kind must not be empty'));
  if ((ref.name ?? '').length === 0) errs.push(fieldInvalid(path.child('name'), ref.name ?? '', 'name must not be empty'));
  if ((ref.uid ?? '').length === 0) errs.push(fieldInvalid(path.child('uid'), ref.uid ?? '', 'uid must not be empty'));
  // Events may not own anything (BannedOwners).
  if (gv.group === '' && gv.version === 'v1' && kind === 'Event') {
    errs.push(
      fieldInvalid(path, new GoRepr(goOwnerReference(ref)), `/${gv.version}, Kind=${kind} is disallowed from being an owner`),
    );
  }
  return errs;
}

/** Each reference needs apiVersion, kind, name and uid; at most one may be the controller. */
export function validateOwnerReferences(refs: readonly OwnerReferenceLike[] | null | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller === true) {
      const current = `${ref.kind ?? ''}/${ref.name ?? ''}`;
      if (firstController !== '') {
        errs.push(
          fieldInvalid(
            path,
            new GoRepr(goOwnerReferences(refs)),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateFinalizerName(name: string, path: FieldPath): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldInvalid(path, name, msg));
}

/** Finalizers are qualified names; `orphan` and `foregroundDeletion` exclude each other. */
export function validateFinalizers(finalizers: readonly string[] | null | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = finalizers ?? [];
  for (const f of list) errs.push(...validateFinalizerName(f, path));
  if (list.includes(finalizerOrphanDependents) && list.includes(finalizerDeleteDependents)) {
    errs.push(
      fieldInvalid(
        path,
        new GoRepr(goStringSlice(list)),
        `finalizer ${finalizerOrphanDependents} and ${finalizerDeleteDependents} cannot be both set`,
      ),
    );
  }
  return errs;
}

/** Once deletion has started, finalizers may only be removed. */
export function validateNoNewFinalizers(
  newFinalizers: readonly string[] | null | undefined,
  oldFinalizers: readonly string[] | null | undefined,
  path: FieldPath,
): FieldError[] {
  const old = new Set(oldFinalizers ?? []);
  const extra = [...new Set((newFinalizers ?? []).filter((f) => !old.has(f)))].sort();
  if (extra.length === 0) return [];
  return [
    fieldForbidden(path, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`),
  ];
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** A field manager name: at most 128 bytes, printable characters only. */
export function validateFieldManager(manager: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (byteLength(manager) > fieldManagerMaxLength) errs.push(fieldTooLong(path, '', fieldManagerMaxLength));
  let bytePos = 0;
  for (const ch of manager) {
    if (!printable.test(ch)) {
      const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push(fieldInvalid(path, manager, `invalid character U+${hex} (at position ${bytePos})`));
    }
    bytePos += byteLength(ch);
  }
  return errs;
}

export function validateManagedFields(entries: readonly unknown[] | null | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((raw, i) => {
    const entry = (raw ?? {}) as ManagedFieldsEntryLike;
    const p = path.index(i);
    const operation = entry.operation ?? '';
    if (operation !== 'Apply' && operation !== 'Update') {
      errs.push(fieldInvalid(p.child('operation'), operation, 'must be `Apply` or `Update`'));
    }
    const fieldsType = entry.fieldsType ?? '';
    if (fieldsType.length > 0 && fieldsType !== 'FieldsV1') {
      errs.push(fieldInvalid(p.child('fieldsType'), fieldsType, 'must be `FieldsV1`'));
    }
    errs.push(...validateFieldManager(entry.manager ?? '', p.child('manager')));
    if (byteLength(entry.subresource ?? '') > maxSubresourceNameLength) {
      errs.push(fieldTooLong(p.child('subresource'), '', maxSubresourceNameLength));
    }
  });
  return errs;
}

function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return (a ?? null) === (b ?? null);
  if (a === b) return true;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return !Number.isNaN(ta) && ta === tb;
}

/** `field is immutable` when a scalar value changed; undefined and null both read as unset. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: FieldPath): FieldError[] {
  return (newVal ?? null) === (oldVal ?? null) ? [] : [fieldInvalid(path, newVal ?? null, fieldImmutableErrorMsg)];
}

// ---- ObjectMeta ----

/**
 * ValidateObjectMeta on create: name (or generateName) per the kind's rule, namespace required or
 * forbidden, generation, labels, annotations, owner references, finalizers and managed fields.
 * Name generation is expected to have happened already.
 */
export function validateObjectMeta(
  meta: ObjectMetaLike,
  opts: ObjectMetaOptions,
  path: FieldPath = FieldPath.root('metadata'),
): FieldError[] {
  const errs: FieldError[] = [];
  const nameFn = nameFuncs[opts.nameValidation];
  const generateName = meta.generateName ?? '';
  if (generateName.length > 0) {
    for (const msg of nameFn(generateName, true)) errs.push(fieldInvalid(path.child('generateName'), generateName, msg));
  }
  const name = meta.name ?? '';
  if (name.length === 0) {
    errs.push(fieldRequired(path.child('name'), 'name or generateName is required'));
  } else {
    for (const msg of nameFn(name, false)) errs.push(fieldInvalid(path.child('name'), name, msg));
  }

  const namespace = meta.namespace ?? '';
  if (opts.namespaced) {
    if (namespace.length === 0) errs.push(fieldRequired(path.child('namespace')));
    else for (const msg of validateNamespaceName(namespace, false)) errs.push(fieldInvalid(path.child('namespace'), namespace, msg));
  } else if (namespace.length > 0) {
    errs.push(fieldForbidden(path.child('namespace'), 'not allowed on this type'));
  }

  errs.push(...validateNonnegativeField(meta.generation ?? 0, path.child('generation')));
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, path.child('finalizers')));
  errs.push(...validateManagedFields(meta.managedFields, path.child('managedFields')));
  return errs;
}

/**
 * ValidateObjectMetaUpdate: resourceVersion must be set (the store fills it in first for
 * unconditional updates), generation may not go down, identity and deletion fields are immutable,
 * and no finalizers may be added once deletion has started.
 */
export function validateObjectMetaUpdate(
  meta: ObjectMetaLike,
  oldMeta: ObjectMetaLike,
  path: FieldPath = FieldPath.root('metadata'),
): FieldError[] {
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp != null) {
    errs.push(...validateNoNewFinalizers(meta.finalizers, oldMeta.finalizers, path.child('finalizers')));
  }
  const rv = meta.resourceVersion ?? '';
  if (rv.length === 0) errs.push(fieldInvalid(path.child('resourceVersion'), rv, 'must be specified for an update'));
  const generation = meta.generation ?? 0;
  if (generation < (oldMeta.generation ?? 0)) {
    errs.push(fieldInvalid(path.child('generation'), generation, 'must not be decremented'));
  }

  errs.push(...validateImmutableField(meta.name ?? '', oldMeta.name ?? '', path.child('name')));
  errs.push(...validateImmutableField(meta.namespace ?? '', oldMeta.namespace ?? '', path.child('namespace')));
  errs.push(...validateImmutableField(meta.uid ?? '', oldMeta.uid ?? '', path.child('uid')));
  if (!sameInstant(meta.creationTimestamp, oldMeta.creationTimestamp)) {
    // A metav1.Time value: printed through time.Time's String method, the zero time when unset.
    errs.push(fieldInvalid(path.child('creationTimestamp'), goMetaTime(meta.creationTimestamp), fieldImmutableErrorMsg));
  }
  if (!sameInstant(meta.deletionTimestamp, oldMeta.deletionTimestamp)) {
    // A *metav1.Time: null when unset, else the time as above.
    const dt = meta.deletionTimestamp;
    errs.push(fieldInvalid(path.child('deletionTimestamp'), dt == null ? null : goMetaTime(dt), fieldImmutableErrorMsg));
  }
  errs.push(
    ...validateImmutableField(meta.deletionGracePeriodSeconds ?? null, oldMeta.deletionGracePeriodSeconds ?? null, path.child('deletionGracePeriodSeconds')),
  );

  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateManagedFields(meta.managedFields, path.child('managedFields')));
  return errs;
}

// ---- label selectors (meta/v1/validation) ----

export interface LabelSelectorValidationOptions {
  /** Let invalid values through, for updates of objects that already hold them. */
  allowInvalidLabelValueInSelector?: boolean;
  /** Let unknown operators through (as *SubjectAccessReview does). */
  allowUnknownOperatorInRequirement?: boolean;
}

/** Whether a selector holds a value that isValidLabelValue rejects (to decide the option above). */
export function labelSelectorHasInvalidLabelValue(ls: LabelSelectorLike | null | undefined): boolean {
  return (ls?.matchExpressions ?? []).some((e) => (e.values ?? []).some((v) => isValidLabelValue(v).length > 0));
}

export function validateLabelSelectorRequirement(
  req: { key: string; operator: string; values?: readonly string[] | null },
  path: FieldPath,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(fieldRequired(path.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(fieldForbidden(path.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      if (!opts.allowUnknownOperatorInRequirement) {
        errs.push(fieldInvalid(path.child('operator'), req.operator, 'not a valid selector operator'));
      }
  }
  errs.push(...validateLabelName(req.key, path.child('key')));
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) errs.push(fieldInvalid(path.child('values').index(i), v, msg));
    });
  }
  return errs;
}

/** metav1validation.ValidateLabelSelector: matchLabels as labels, then each expression. */
export function validateLabelSelector(
  ls: LabelSelectorLike | null | undefined,
  path: FieldPath,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (ls == null) return [];
  const errs = validateLabels(ls.matchLabels, path.child('matchLabels'));
  (ls.matchExpressions ?? []).forEach((expr, i) => {
    errs.push(...validateLabelSelectorRequirement(expr, path.child('matchExpressions').index(i), opts));
  });
  return errs;
}
