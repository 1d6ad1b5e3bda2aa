// Upstream validation of the access reviews: exactly one kind of attributes, a subject, and metadata left empty.
import { type FieldError, FieldPath, GoRepr, fieldInvalid, goQuote } from '../../../machinery/field-errors.ts';
import type { KObject } from '../../registry/kobject.ts';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Go's `%#v` of the (dereferenced) NonResourceAttributes pointer, or "null" when nil. */
function goNonResourceAttributes(v: unknown): GoRepr {
  if (v == null || typeof v !== 'object') return new GoRepr('"null"');
  const a = v as Record<string, unknown>;
  return new GoRepr(`authorization.NonResourceAttributes{Path:${goQuote(str(a.path))}, Verb:${goQuote(str(a.verb))}}`);
}

function validateAttributesChoice(spec: Record<string, unknown>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = spec.resourceAttributes != null;
  const hasNonResource = spec.nonResourceAttributes != null;
  if (hasResource && hasNonResource) {
    errs.push(fieldInvalid(path.child('nonResourceAttributes'), goNonResourceAttributes(spec.nonResourceAttributes), 'cannot be specified in combination with resourceAttributes'));
  }
  if (!hasResource && !hasNonResource) {
    errs.push(fieldInvalid(path.child('resourceAttributes'), goNonResourceAttributes(spec.nonResourceAttributes), 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  return errs;
}

const specOf = (o: KObject) => (o.spec && typeof o.spec === 'object' ? (o.spec as Record<string, unknown>) : {});

/** ValidateSubjectAccessReviewSpec: as the self review, plus someone to ask about. */
export function validateSubjectAccessReviewSpec(o: KObject): FieldError[] {
  const spec = specOf(o);
  const path = FieldPath.root('spec');
  const errs = validateAttributesChoice(spec, path);
  const groups = Array.isArray(spec.groups) ? spec.groups : [];
  if (str(spec.user) === '' && groups.length === 0) errs.push(fieldInvalid(path.child('user'), str(spec.user), 'at least one of user or group must be specified'));
  return errs;
}

/** Which metadata fields are set: the reviews accept none (a local review: only the namespace). */
function metadataSet(o: KObject, allowNamespace: boolean): boolean {
  const m = { ...(o.metadata ?? {}) } as Record<string, unknown>;
  delete m.managedFields;
  delete m.creationTimestamp;
  if (allowNamespace) delete m.namespace;
  return Object.values(m).some((v) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0));
}

/** A short Go rendering of the ObjectMeta fields reviews carry. */
function goObjectMeta(o: KObject): GoRepr {
  const m = o.metadata ?? {};
  return new GoRepr(`v1.ObjectMeta{Name:${goQuote(str(m.name))}, GenerateName:${goQuote(str(m.generateName))}, Namespace:${goQuote(str(m.namespace))}}`);
}

export function validateSubjectAccessReview(o: KObject): FieldError[] {
  const errs = validateSubjectAccessReviewSpec(o);
  if (metadataSet(o, false)) errs.push(fieldInvalid(FieldPath.root('metadata'), goObjectMeta(o), 'must be empty'));
  return errs;
}

export function validateSelfSubjectAccessReview(o: KObject): FieldError[] {
  return validateAttributesChoice(specOf(o), FieldPath.root('spec'));
}

export function validateLocalSubjectAccessReview(o: KObject): FieldError[] {
  const errs = validateSubjectAccessReviewSpec(o);
  const spec = specOf(o);
  if (metadataSet(o, true)) errs.push(fieldInvalid(FieldPath.root('metadata'), goObjectMeta(o), 'must be empty except for namespace'));
  const ra = spec.resourceAttributes as Record<string, unknown> | undefined;
  if (ra != null && str(ra.namespace) !== str(o.metadata?.namespace)) {
    errs.push(fieldInvalid('spec.resourceAttributes.namespace', str(ra.namespace), 'must match metadata.namespace'));
  }
  if (spec.nonResourceAttributes != null) {
    errs.push(fieldInvalid('spec.nonResourceAttributes', goNonResourceAttributes(spec.nonResourceAttributes), 'disallowed on this kind of request'));
  }
  return errs;
}
