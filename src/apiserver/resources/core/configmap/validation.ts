// Upstream validation for core/v1 ConfigMaps: key names, data/binaryData overlap, total size, immutability.
import { type FieldError, FieldPath, fieldForbidden, fieldInvalid, fieldTooLong } from '../../../../machinery/field-errors.ts';
import { isConfigMapKey } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';

/** core.MaxSecretSize, shared by ConfigMaps and Secrets: 1 MiB. */
export const maxConfigMapSize = 1024 * 1024;

const immutableMsg = 'field is immutable when `immutable` is set';

const entries = (v: unknown): [string, unknown][] =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>) : [];

/** Bytes a base64 value decodes to, as Go's []byte would hold them. */
const decodedLength = (v: unknown): number => (typeof v === 'string' ? Buffer.from(v, 'base64').length : 0);

/** ValidateConfigMap, without the object metadata the generic store checks. */
export function validateCreate(cm: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = FieldPath.root('data');
  const binaryData = FieldPath.root('binaryData');
  const binary = new Map(entries(cm.binaryData));
  let total = 0;
  for (const [key, value] of entries(cm.data)) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldInvalid(data.key(key), key, msg));
    if (binary.has(key)) errs.push(fieldInvalid(data.key(key), key, 'duplicate of key present in binaryData'));
    total += typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;
  }
  for (const [key, value] of binary) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldInvalid(binaryData.key(key), key, msg));
    total += decodedLength(value);
  }
  // The empty path says the error concerns the whole object.
  if (total > maxConfigMapSize) errs.push(fieldTooLong('', '', maxConfigMapSize));
  return errs;
}

/**
 * Whether two string maps are equal the way reflect.DeepEqual sees them after the old one came back from
 * storage, where an empty map is indistinguishable from an absent one.
 */
export function sameStoredMap(now: unknown, old: unknown): boolean {
  const nowNil = now === undefined || now === null;
  const before = entries(old);
  if (before.length === 0) return nowNil;
  if (nowNil) return false;
  const after = entries(now);
  if (after.length !== before.length) return false;
  const m = new Map(before);
  return after.every(([k, v]) => m.has(k) && m.get(k) === v);
}

/** ValidateConfigMapUpdate: once `immutable` is true, neither it nor the data may change. */
export function validateUpdate(cm: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (cm.immutable !== true) errs.push(fieldForbidden('immutable', immutableMsg));
    if (!sameStoredMap(cm.data, old.data)) errs.push(fieldForbidden('data', immutableMsg));
    if (!sameStoredMap(cm.binaryData, old.binaryData)) errs.push(fieldForbidden('binaryData', immutableMsg));
  }
  errs.push(...validateCreate(cm));
  return errs;
}
