// The ClusterRole strategy: cluster-wide rules or an aggregation rule, names as path segments.
import type { Strategy } from '../../../registry/strategy.ts';
import { rolePrinter } from '../role-columns.ts';
import { validateClusterRole, validateClusterRoleUpdate } from './validation.ts';

export const strategy: Strategy = {
  validate: (role) => validateClusterRole(role),
  validateUpdate: validateClusterRoleUpdate,
  nameValidation: 'pathSegment',
  printer: rolePrinter,
};
