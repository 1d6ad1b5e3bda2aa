// The ConfigMap strategy: validation only; upstream prepares nothing on create or update.
import type { Strategy } from '../../../registry/strategy.ts';
import { printer } from './columns.ts';
import { validateCreate, validateUpdate } from './validation.ts';

export const strategy: Strategy = {
  validate: validateCreate,
  validateUpdate,
  nameValidation: 'dns1123Subdomain',
  printer,
};
