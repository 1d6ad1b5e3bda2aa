// Upstream validation for coordination.k8s.io/v1 Leases: durations, transitions and the coordinated-election fields.
import { type FieldError, FieldPath, fieldForbidden, fieldInvalid, fieldNotSupported } from '../../../../machinery/field-errors.ts';
import { isQualifiedName } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';

const validLeaseStrategies = ['OldestEmulationVersion'];

/** ValidateCoordinatedLeaseStrategy; `path` is the strategy field itself. */
function validateLeaseStrategy(strategy: string, path: FieldPath): FieldError[] {
  // Upstream appends another "strategy" to the path it was given.
  const at = path.child('strategy');
  if (strategy.split('/').length === 1) {
    return validLeaseStrategies.includes(strategy) ? [] : [fieldNotSupported(at, strategy, validLeaseStrategies)];
  }
  return isQualifiedName(strategy).map((msg) => fieldInvalid(at, strategy, msg));
}

/** ValidateLeaseSpec, without the object metadata the generic store checks. */
export function validateCreate(lease: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = lease.spec ?? {};
  const path = FieldPath.root('spec');
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(fieldInvalid(path.child('leaseDurationSeconds'), spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(fieldInvalid(path.child('leaseTransitions'), spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (typeof spec.strategy === 'string') errs.push(...validateLeaseStrategy(spec.strategy, path.child('strategy')));
  if (typeof spec.preferredHolder === 'string' && spec.preferredHolder !== '' && !spec.strategy) {
    errs.push(fieldForbidden(path.child('preferredHolder'), 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

/** ValidateLeaseUpdate: the same spec rules; metadata is the store's. */
export function validateUpdate(lease: KObject, _old: KObject): FieldError[] {
  return validateCreate(lease);
}
