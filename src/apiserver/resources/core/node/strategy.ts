// The Node strategy: status may be set on create but is kept on update; the removed configSource is dropped.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { validateCreate, validateUpdate } from './validation.ts';

const has = (v: unknown): boolean => v !== undefined && v !== null;

export const strategy: Strategy = {
  defaults: setDefaults,

  prepareForCreate(node: KObject): void {
    // Nodes allow every field, status included, on create; only the dynamic kubelet config is gone.
    if (node.spec && typeof node.spec === 'object') delete node.spec.configSource;
    if (node.status && typeof node.status === 'object') delete node.status.config;
  },

  prepareForUpdate(node: KObject, old: KObject): void {
    if (old.status === undefined) delete node.status;
    else node.status = structuredClone(old.status);
    if (!has(old.spec?.configSource) && node.spec && typeof node.spec === 'object') delete node.spec.configSource;
  },

  validate: validateCreate,
  validateUpdate,

  warnings(node: KObject): string[] {
    const warnings: string[] = [];
    if (has(node.spec?.configSource)) warnings.push('spec.configSource: the feature is removed');
    if (typeof node.spec?.externalID === 'string' && node.spec.externalID !== '') {
      warnings.push('spec.externalID: this field is deprecated, and is unused by Kubernetes');
    }
    return warnings;
  },

  nameValidation: 'dns1123Subdomain',
  printer,

  selectableFields(node: KObject): Record<string, string> {
    return { 'spec.unschedulable': String(node.spec?.unschedulable === true) };
  },
};
