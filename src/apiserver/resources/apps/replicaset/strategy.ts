// The ReplicaSet strategy: status is the controller's; spec changes bump the generation.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { selectorFromLabelSelector } from '../../../../machinery/labels.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { validateCreate, validateUpdate } from './validation.ts';
import { semanticEqual } from '../../core/pod/validation.ts';
import { workloadTemplateWarnings } from '../../core/pod/warnings.ts';

/** The Scale subresource's status.selector: the spec's selector as a selector string. */
export function scaleSelector(obj: KObject): string {
  return selectorFromLabelSelector(obj.spec?.selector).toString();
}


export const strategy: Strategy = {
  defaults: setDefaults,

  prepareForCreate(obj: KObject): void {
    // The zero ReplicaSetStatus serializes its one non-omitempty field.
    obj.status = { replicas: 0 };
    obj.metadata.generation = 1;
  },

  prepareForUpdate(obj: KObject, old: KObject): void {
    obj.status = structuredClone(old.status ?? { replicas: 0 });
    const generation = old.metadata.generation ?? 0;
    obj.metadata.generation = semanticEqual(obj.spec, old.spec) ? generation : generation + 1;
  },

  validate: validateCreate,
  validateUpdate,

  warnings: workloadTemplateWarnings,

  nameValidation: 'dns1123Subdomain',
  printer,

  /** ReplicaSet ToSelectableFields. */
  selectableFields(obj: KObject): Record<string, string> {
    return { 'status.replicas': String(obj.status?.replicas ?? 0) };
  },
};
