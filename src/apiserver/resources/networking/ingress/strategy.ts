// The Ingress strategy: status and generation handling, validation, the class-annotation deprecation warning and nginx hints.
import { isDeepStrictEqual } from 'node:util';
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { nginxAnnotationHints } from './nginx-annotations.ts';
import { annotationIngressClass, validateCreate, validateUpdate } from './validation.ts';

/** reflect.DeepEqual on what survives a JSON round trip: key order and undefined members do not count. */
const sameJSON = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));

/** Upstream WarningsOnCreate (pkg/registry/networking/ingress/strategy.go); there are none on update. */
export function classAnnotationWarning(ing: KObject): string[] {
  const annotations = ing.metadata?.annotations ?? {};
  if (annotationIngressClass in annotations && ing.spec?.ingressClassName == null) {
    return [`annotation ${JSON.stringify(annotationIngressClass)} is deprecated, please use 'spec.ingressClassName' instead`];
  }
  return [];
}

export const strategy: Strategy = {
  defaults: setDefaults,
  prepareForCreate(ing) {
    ing.status = { loadBalancer: {} };
    ing.metadata.generation = 1;
  },
  prepareForUpdate(ing, old) {
    ing.status = structuredClone(old.status ?? { loadBalancer: {} });
    ing.metadata.generation = sameJSON(ing.spec, old.spec) ? old.metadata.generation : (old.metadata.generation ?? 0) + 1;
  },
  validate: validateCreate,
  validateUpdate,
  warnings(ing, old) {
    if (!old) return [...classAnnotationWarning(ing), ...nginxAnnotationHints(ing)];
    // Status writes and unrelated edits stay quiet; a changed annotation set is checked again.
    return sameJSON(ing.metadata?.annotations, old.metadata?.annotations) ? [] : nginxAnnotationHints(ing);
  },
  nameValidation: 'dns1123Subdomain',
  printer,
};
