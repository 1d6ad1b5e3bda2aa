// Upstream validation for core/v1 Namespaces: finalizer names in spec.finalizers.
import { type FieldError, FieldPath, fieldInvalid } from '../../../../machinery/field-errors.ts';
import { isQualifiedName } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';

/** Finalizer names that need no domain prefix (helper.IsStandardFinalizerName). */
const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** validateFinalizerName: a qualified name, and either standard or fully qualified. */
export function validateFinalizerName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => fieldInvalid(path, name, msg));
  if (!name.includes('/') && !standardFinalizers.has(name)) {
    errs.push(fieldInvalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

/** ValidateNamespace, without the object metadata the generic store checks. */
export function validateCreate(ns: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const finalizers: unknown = ns.spec?.finalizers;
  // Upstream reports every finalizer at spec.finalizers, without an index.
  const path = FieldPath.root('spec').child('finalizers');
  if (Array.isArray(finalizers)) for (const f of finalizers) errs.push(...validateFinalizerName(String(f ?? ''), path));
  return errs;
}

/** The namespace strategy's ValidateUpdate: ValidateNamespace again; ValidateNamespaceUpdate checks only metadata. */
export function validateUpdate(ns: KObject, _old: KObject): FieldError[] {
  return validateCreate(ns);
}
