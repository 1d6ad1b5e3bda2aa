// apps/v1 ReplicaSet validation (ValidateReplicaSetSpec), sharing the selector and template rules of Deployments.
import type { KObject } from '../../../registry/kobject.ts';
import { FieldPath, type FieldError } from '../../../../machinery/field-errors.ts';
import { validateNonnegativeField } from '../../../../machinery/meta-validation.ts';
import { validatePodTemplateSpecForReplicaSet, validateSelector, validateSelectorImmutable } from '../deployment/validation.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** ValidateReplicaSetSpec. */
export function validateReplicaSetSpec(spec: Json, path: FieldPath): FieldError[] {
  const s = spec !== null && typeof spec === 'object' ? spec : {};
  const errs = validateNonnegativeField(num(s.replicas), path.child('replicas'));
  errs.push(...validateNonnegativeField(num(s.minReadySeconds), path.child('minReadySeconds')));
  const selector = validateSelector(s.selector, path.child('selector'), errs);
  if (selector) errs.push(...validatePodTemplateSpecForReplicaSet(s.template, selector, path.child('template')));
  return errs;
}

/** ValidateReplicaSet, without ObjectMeta (the generic store checks it). */
export function validateCreate(obj: KObject): FieldError[] {
  return validateReplicaSetSpec(obj.spec, FieldPath.root('spec'));
}

/**
 * The strategy's ValidateUpdate: upstream runs ValidateReplicaSet and then ValidateReplicaSetUpdate, so a spec
 * error is listed twice (the message dedupes them, the causes do not); then apps/v1 selector immutability.
 */
export function validateUpdate(obj: KObject, old: KObject): FieldError[] {
  const spec = validateReplicaSetSpec(obj.spec, FieldPath.root('spec'));
  return [...spec, ...spec, ...validateSelectorImmutable(obj.spec?.selector, old.spec?.selector, FieldPath.root('spec').child('selector'))];
}
