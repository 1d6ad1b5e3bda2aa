// The RoleBinding strategy: the RBAC group defaulted, a Role or ClusterRole reference that never changes, subjects checked.
import type { Strategy } from '../../../registry/strategy.ts';
import { roleBindingPrinter } from '../binding-columns.ts';
import { defaultBinding, validateBinding, validateBindingUpdate } from '../binding-validation.ts';

export const strategy: Strategy = {
  defaults: defaultBinding,
  validate: (b) => validateBinding(b, true),
  validateUpdate: (b, old) => validateBindingUpdate(b, old, true),
  nameValidation: 'pathSegment',
  printer: roleBindingPrinter,
};
