// The events.k8s.io/v1 Event strategy: the strict validation upstream applies to writes through that API.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { validateStrictCreate, validateStrictUpdate } from '../../core/event/validation.ts';
import { eventSelectableFields } from '../../core/event/strategy.ts';
import { printer } from './columns.ts';
import { isEventsV1, toCore } from './conversion.ts';

// Validation speaks in core/v1 field names (reportingController aside), as upstream validates the internal object.
const asCore = (ev: KObject): KObject => (isEventsV1(ev) ? toCore(ev) : ev);

/** The field labels events.k8s.io/v1 accepts, mapped onto the core event's selectable fields. */
const fieldLabels: Record<string, string> = {
  reason: 'reason',
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  type: 'type',
};

export const strategy: Strategy = {
  validate: (ev: KObject) => validateStrictCreate(asCore(ev)),
  validateUpdate: (ev: KObject, old: KObject) => validateStrictUpdate(asCore(ev), asCore(old)),
  nameValidation: 'dns1123Subdomain',
  printer,
  selectableFields(ev: KObject): Record<string, string> {
    const core = eventSelectableFields(asCore(ev));
    return Object.fromEntries(Object.entries(fieldLabels).map(([label, field]) => [label, core[field] ?? '']));
  },
};
