// The ClusterRoleBinding strategy: a ClusterRole reference that never changes; service account subjects name their namespace.
import type { Strategy } from '../../../registry/strategy.ts';
import { clusterRoleBindingPrinter } from '../binding-columns.ts';
import { defaultBinding, validateBinding, validateBindingUpdate } from '../binding-validation.ts';

export const strategy: Strategy = {
  defaults: defaultBinding,
  validate: (b) => validateBinding(b, false),
  validateUpdate: (b, old) => validateBindingUpdate(b, old, false),
  nameValidation: 'pathSegment',
  printer: clusterRoleBindingPrinter,
};
