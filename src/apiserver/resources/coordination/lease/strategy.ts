// The Lease strategy: the CoordinatedLeaderElection fields dropped (the gate is off by default in 1.33).
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { printer } from './columns.ts';
import { validateCreate, validateUpdate } from './validation.ts';

/** dropDisabledFields: strategy and preferredHolder survive only where the stored lease already had them. */
function dropDisabledFields(lease: KObject, old?: KObject): void {
  const spec = lease.spec;
  if (spec === null || typeof spec !== 'object') return;
  if (old?.spec?.preferredHolder === undefined || old.spec.preferredHolder === null) delete spec.preferredHolder;
  if (old?.spec?.strategy === undefined || old.spec.strategy === null) delete spec.strategy;
}

export const strategy: Strategy = {
  prepareForCreate: (lease: KObject) => dropDisabledFields(lease),
  prepareForUpdate: dropDisabledFields,
  validate: validateCreate,
  validateUpdate,
  nameValidation: 'dns1123Subdomain',
  printer,
};
