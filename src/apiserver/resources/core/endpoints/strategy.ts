// The Endpoints strategy: defaulting, validation and address warnings for core/v1 Endpoints.
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { warningsForIP } from '../service/addresses.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { validateCreate, validateUpdate } from './validation.ts';

/**
 * The deprecation warning 1.33 returns on every request for v1 Endpoints, reads included; it belongs to the
 * HTTP layer (apiserver's API lifecycle deprecation), not to writes alone, so the strategy does not add it.
 */
export const endpointsDeprecationWarning = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

const list = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** Upstream GetWarningsForEndpoints: non-standard address spellings, except on controller-written objects. */
export function endpointsWarnings(ep: KObject): string[] {
  if (ep.metadata?.labels?.['endpoints.kubernetes.io/managed-by'] === 'endpoint-controller') return [];
  const warnings: string[] = [];
  list(ep.subsets).forEach((subset, i) => {
    for (const field of ['addresses', 'notReadyAddresses']) {
      list(subset?.[field]).forEach((a, j) => {
        if (typeof a?.ip === 'string') warnings.push(...warningsForIP(`subsets[${i}].${field}[${j}].ip`, a.ip));
      });
    }
  });
  return warnings;
}

export const strategy: Strategy = {
  defaults: setDefaults,
  validate: validateCreate,
  validateUpdate,
  warnings: (ep) => endpointsWarnings(ep),
  nameValidation: 'dns1123Subdomain',
  printer,
};
