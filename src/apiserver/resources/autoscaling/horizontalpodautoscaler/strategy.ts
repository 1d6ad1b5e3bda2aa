// The HorizontalPodAutoscaler strategy (stored as autoscaling/v2): status reset on create, kept on update.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { validateCreate, validateUpdate } from './validation.ts';

const present = (v: unknown): boolean => v !== undefined && v !== null;

const toleranceInUse = (hpa?: KObject): boolean =>
  present(hpa?.spec?.behavior?.scaleUp?.tolerance) || present(hpa?.spec?.behavior?.scaleDown?.tolerance);

/** dropDisabledFields: HPAConfigurableTolerance is alpha (off) in 1.33, so tolerance stays only where it was. */
function dropDisabledFields(hpa: KObject, old?: KObject): void {
  if (toleranceInUse(old)) return;
  for (const rules of [hpa.spec?.behavior?.scaleUp, hpa.spec?.behavior?.scaleDown]) {
    if (rules !== null && typeof rules === 'object') delete rules.tolerance;
  }
}

export const strategy: Strategy = {
  defaults: setDefaults,

  prepareForCreate(hpa: KObject): void {
    // The zero status, as upstream serializes it.
    hpa.status = { currentMetrics: null, desiredReplicas: 0 };
    dropDisabledFields(hpa);
  },

  prepareForUpdate(hpa: KObject, old: KObject): void {
    if (old.status === undefined) delete hpa.status;
    else hpa.status = structuredClone(old.status);
    dropDisabledFields(hpa, old);
  },

  validate: validateCreate,
  validateUpdate,
  nameValidation: 'dns1123Subdomain',
  printer,
};
