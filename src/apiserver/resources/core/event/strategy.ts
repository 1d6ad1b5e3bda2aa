// The core/v1 Event strategy: legacy validation only, and the involvedObject/reason/source field selectors.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { printer } from './columns.ts';
import { validateCreate, validateUpdate } from './validation.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** ToSelectableFields of the event registry, on the core/v1 form. */
export function eventSelectableFields(ev: KObject): Record<string, string> {
  const involved = ev.involvedObject ?? {};
  // Events written through events.k8s.io have no source; their reporting controller stands in for it.
  const source = str(ev.source?.component) || str(ev.reportingComponent);
  return {
    'involvedObject.kind': str(involved.kind),
    'involvedObject.namespace': str(involved.namespace),
    'involvedObject.name': str(involved.name),
    'involvedObject.uid': str(involved.uid),
    'involvedObject.apiVersion': str(involved.apiVersion),
    'involvedObject.resourceVersion': str(involved.resourceVersion),
    'involvedObject.fieldPath': str(involved.fieldPath),
    reason: str(ev.reason),
    reportingComponent: str(ev.reportingComponent),
    source,
    type: str(ev.type),
  };
}

export const strategy: Strategy = {
  validate: validateCreate,
  validateUpdate,
  nameValidation: 'dns1123Subdomain',
  printer,
  selectableFields: eventSelectableFields,
};
