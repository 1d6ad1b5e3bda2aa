// The Deployment strategy: status is the controller's; spec or annotation changes bump the generation.
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
    obj.status = {};
    obj.metadata.generation = 1;
  },

  prepareForUpdate(obj: KObject, old: KObject): void {
    obj.status = structuredClone(old.status ?? {});
    // Annotations count too: the controller copies them onto the ReplicaSets.
    const changed = !semanticEqual(obj.spec, old.spec) || !semanticEqual(obj.metadata.annotations ?? {}, old.metadata.annotations ?? {});
    const generation = old.metadata.generation ?? 0;
    obj.metadata.generation = changed ? generation + 1 : generation;
  },

  prepareForStatusUpdate(merged: KObject, request: KObject): void {
    // Upstream's deploymentStatusStrategy resets only spec and labels: annotations written with the status stay.
    if (request.metadata?.annotations && Object.keys(request.metadata.annotations).length) merged.metadata.annotations = { ...request.metadata.annotations };
    else delete merged.metadata.annotations;
  },

  validate: validateCreate,
  validateUpdate,

  warnings: workloadTemplateWarnings,

  nameValidation: 'dns1123Subdomain',
  printer,
};
