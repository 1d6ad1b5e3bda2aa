// The EndpointSlice strategy: generation tracking, dropping v1-invisible fields, validation.
import { isDeepStrictEqual } from 'node:util';
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { validateCreate, validateUpdate } from './validation.ts';

const list = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
/** reflect.DeepEqual on what survives a JSON round trip: key order and undefined members do not count. */
const sameJSON = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));

/** Everything but metadata, the part whose change bumps the generation. */
function content(slice: KObject): unknown {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = slice;
  return rest;
}

/**
 * v1 requests silently clear deprecatedTopology (upstream dropTopologyOnV1), unless an update leaves the
 * endpoints as they were; hints.forNodes belongs to the PreferSameTrafficDistribution gate, off in 1.33.
 */
function dropFields(slice: KObject, old?: KObject): void {
  for (const ep of list(slice.endpoints)) {
    if (ep?.hints && typeof ep.hints === 'object' && !list(old?.endpoints).some((o) => o?.hints?.forNodes != null)) {
      delete ep.hints.forNodes;
    }
  }
  if (old && sameJSON(old.endpoints, slice.endpoints)) return;
  for (const ep of list(slice.endpoints)) if (ep && typeof ep === 'object') delete ep.deprecatedTopology;
}

export const strategy: Strategy = {
  defaults: setDefaults,
  prepareForCreate(slice) {
    slice.metadata.generation = 1;
    dropFields(slice);
  },
  prepareForUpdate(slice, old) {
    if (!sameJSON(content(slice), content(old)) || !sameJSON(slice.metadata.labels, old.metadata.labels)) {
      slice.metadata.generation = (old.metadata.generation ?? 0) + 1;
    } else {
      slice.metadata.generation = old.metadata.generation;
    }
    dropFields(slice, old);
  },
  validate: validateCreate,
  validateUpdate,
  nameValidation: 'dns1123Subdomain',
  printer,
};
