// The Namespace strategy: Active on create, the kubernetes finalizer, and spec.finalizers/status kept on update.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { printer } from './columns.ts';
import { metadataNameLabel, setDefaults } from './defaults.ts';
import { validateCreate, validateUpdate } from './validation.ts';

export const strategy: Strategy = {
  defaults: setDefaults,

  prepareForCreate(ns: KObject): void {
    ns.status = { phase: 'Active' };
    // Required on create; not a default, because the namespace controller removes it over the object's life.
    const spec = ns.spec !== null && typeof ns.spec === 'object' ? ns.spec : (ns.spec = {});
    const finalizers: unknown[] = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    if (!finalizers.includes('kubernetes')) spec.finalizers = [...finalizers, 'kubernetes'];
    // Canonicalize upstream: the label follows the final name, also for generateName.
    if (ns.metadata.name) {
      ns.metadata.labels ??= {};
      ns.metadata.labels[metadataNameLabel] = ns.metadata.name;
    }
  },

  prepareForUpdate(ns: KObject, old: KObject): void {
    const finalizers = old.spec?.finalizers;
    if (ns.spec === null || typeof ns.spec !== 'object') ns.spec = {};
    if (finalizers === undefined) delete ns.spec.finalizers;
    else ns.spec.finalizers = structuredClone(finalizers);
    if (old.status === undefined) delete ns.status;
    else ns.status = structuredClone(old.status);
  },

  validate: validateCreate,
  validateUpdate,
  nameValidation: 'dns1123Label',
  printer,

  selectableFields(ns: KObject): Record<string, string> {
    // `name` is an upstream bug kept for backward compatibility.
    return { 'status.phase': String(ns.status?.phase ?? ''), name: ns.metadata.name ?? '' };
  },
};
