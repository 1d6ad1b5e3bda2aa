// The IngressClass strategy: generation tracking and validation for the cluster-scoped networking.k8s.io/v1 IngressClass.
import { isDeepStrictEqual } from 'node:util';
import type { Strategy } from '../../../registry/strategy.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { validateCreate, validateUpdate } from './validation.ts';

/** reflect.DeepEqual on what survives a JSON round trip: key order and undefined members do not count. */
const sameJSON = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));

export const strategy: Strategy = {
  defaults: setDefaults,
  prepareForCreate(ic) {
    ic.metadata.generation = 1;
  },
  prepareForUpdate(ic, old) {
    ic.metadata.generation = sameJSON(ic.spec, old.spec) ? old.metadata.generation : (old.metadata.generation ?? 0) + 1;
  },
  validate: validateCreate,
  validateUpdate,
  nameValidation: 'dns1123Subdomain',
  printer,
};
