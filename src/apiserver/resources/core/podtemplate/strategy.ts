// The PodTemplate strategy: generation starts at 1 and grows with every change of the template.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { FieldPath } from '../../../../machinery/field-errors.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { validateCreate, validateUpdate } from './validation.ts';
import { semanticEqual } from '../pod/validation.ts';
import { podSpecWarnings } from '../pod/warnings.ts';

export const strategy: Strategy = {
  defaults: setDefaults,

  prepareForCreate(obj: KObject): void {
    obj.metadata.generation = 1;
  },

  prepareForUpdate(obj: KObject, old: KObject): void {
    const generation = old.metadata.generation ?? 0;
    obj.metadata.generation = semanticEqual(obj.template, old.template) ? generation : generation + 1;
  },

  validate: validateCreate,
  validateUpdate,

  warnings(obj: KObject, old?: KObject): string[] {
    if (old && obj.metadata.generation === old.metadata.generation) return [];
    return podSpecWarnings(FieldPath.root('template'), obj.template?.spec, obj.template?.metadata);
  },

  nameValidation: 'dns1123Subdomain',
  printer,
};
