// Moving objects from client-side apply (the last-applied-configuration annotation) to server-side apply, as upstream's lastApplied manager and updater do.
import type { KObject } from '../registry/kobject.ts';
import { FieldSet } from './field-set.ts';
import { goJson, type JsonValue } from './path-element.ts';
import { compare, toFieldSet, validate } from './typed-value.ts';
import type { TypeRef } from './type-schema.ts';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** Only `kubectl apply --server-side` (field manager "kubectl") takes over from client-side apply. */
export const upgradingManager = 'kubectl';

/** apimachinery's TotalAnnotationSizeLimitB. */
const totalAnnotationSizeLimit = 256 * 1024;

export function hasLastApplied(obj: KObject | undefined): boolean {
  const v = obj?.metadata?.annotations?.[lastAppliedAnnotation];
  return typeof v === 'string' && v.length > 0;
}

/**
 * The fields client-side apply last applied that still hold the values it applied: conflicts on those are
 * not real conflicts for kubectl. Undefined when there is no usable annotation.
 */
export function allowedConflicts(live: KObject, apiVersion: string, type: TypeRef): FieldSet | undefined {
  const text = live.metadata?.annotations?.[lastAppliedAnnotation];
  if (typeof text !== 'string' || text === '') return undefined;
  let last: JsonValue;
  try {
    last = JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
  if (last === null || typeof last !== 'object' || Array.isArray(last) || last.apiVersion !== apiVersion) return undefined;
  if (validate(last, type, false).length > 0) return undefined;
  const set = toFieldSet(last, type);
  const c = compare(last, live as unknown as JsonValue, type);
  return set.difference(c.modified).difference(c.added).difference(c.removed);
}

/** The annotation's value for an applied configuration: the configuration itself, as Go's encoder writes it. */
export function buildLastApplied(config: KObject): string {
  const copy = structuredClone(config) as KObject;
  const annotations = copy.metadata?.annotations;
  if (annotations && typeof annotations === 'object') delete annotations[lastAppliedAnnotation];
  return goJson(copy as unknown as JsonValue) + '\n';
}

/** Sets the annotation unless the annotations would then exceed their size limit (SetLastApplied). */
export function setLastApplied(obj: KObject, value: string): void {
  const annotations: Record<string, string> = { ...(obj.metadata.annotations ?? {}), [lastAppliedAnnotation]: value };
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (size > totalAnnotationSizeLimit) delete annotations[lastAppliedAnnotation];
  obj.metadata.annotations = annotations;
}
