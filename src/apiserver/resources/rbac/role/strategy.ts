// The Role strategy: namespaced policy rules, names as path segments, printed with their creation time.
import type { Strategy } from '../../../registry/strategy.ts';
import { rolePrinter } from '../role-columns.ts';
import { validateRules } from '../policy-rule-validation.ts';

export const strategy: Strategy = {
  validate: (role) => validateRules(role.rules, true),
  validateUpdate: (role) => validateRules(role.rules, true),
  nameValidation: 'pathSegment',
  printer: rolePrinter,
};
