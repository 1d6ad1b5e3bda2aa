// metadata.managedFields on the wire ↔ ownership per manager, keyed by upstream's manager identifiers.
import { FieldSet } from './field-set.ts';
import { compareStrings } from './path-element.ts';
import type { ManagedFields, VersionedSet } from './updater.ts';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

/** Ownership plus when each manager last changed something. */
export interface Managed {
  fields: ManagedFields;
  times: Map<string, string | undefined>;
}

export const emptyManaged = (): Managed => ({ fields: new Map(), times: new Map() });

export class ManagedFieldsDecodeError extends Error {
  readonly code = 'DABBA_MANAGED_FIELDS_DECODE';
}

/**
 * The JSON of an entry without its fields, time and type (and, for appliers, without the API version), in
 * Go's field order: `{"manager":"kubectl","operation":"Apply"}`. One identifier is one entry.
 */
export function managerIdentifier(e: ManagedFieldsEntry): string {
  const id: ManagedFieldsEntry = {};
  if (e.manager) id.manager = e.manager;
  if (e.operation) id.operation = e.operation;
  if (e.apiVersion && e.operation !== 'Apply') id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

export function parseIdentifier(id: string): ManagedFieldsEntry | undefined {
  try {
    const v = JSON.parse(id) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as ManagedFieldsEntry) : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes an object's managedFields (DecodeManagedFields); throws on an entry upstream would not accept. */
export function decodeManagedFields(entries: readonly unknown[] | null | undefined): Managed {
  const managed = emptyManaged();
  (entries ?? []).forEach((raw, i) => {
    const e = (raw ?? {}) as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new ManagedFieldsDecodeError('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new ManagedFieldsDecodeError('apiVersion must not be empty');
    if (e.fieldsType === undefined || e.fieldsType === '') throw new ManagedFieldsDecodeError(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new ManagedFieldsDecodeError(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const id = managerIdentifier(e);
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch (err) {
      throw new ManagedFieldsDecodeError(`error decoding versioned set: error decoding set: ${(err as Error).message}`, { cause: err });
    }
    managed.fields.set(id, { set, apiVersion: e.apiVersion, applied: e.operation === 'Apply' });
    managed.times.set(id, e.time ?? undefined);
  });
  return managed;
}

const unixSeconds = (t: string | undefined) => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);

/** Encodes ownership back to entries, sorted as upstream sorts them; undefined when nobody owns anything. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.fields.size === 0) return undefined;
  const out: ManagedFieldsEntry[] = [];
  for (const [id, vs] of managed.fields) out.push(encodeEntry(id, vs, managed.times.get(id)));
  return out.sort((p, q) => {
    if (p.operation !== q.operation) return compareStrings(p.operation ?? '', q.operation ?? '');
    const ps = unixSeconds(p.time);
    const qs = unixSeconds(q.time);
    if (ps !== qs) return ps < qs ? -1 : 1;
    if (p.manager !== q.manager) return compareStrings(p.manager ?? '', q.manager ?? '');
    if (p.apiVersion !== q.apiVersion) return compareStrings(p.apiVersion ?? '', q.apiVersion ?? '');
    return compareStrings(p.subresource ?? '', q.subresource ?? '');
  });
}

function encodeEntry(id: string, vs: VersionedSet, time: string | undefined): ManagedFieldsEntry {
  const base = parseIdentifier(id) ?? {};
  const e: ManagedFieldsEntry = {};
  if (base.manager) e.manager = base.manager;
  e.operation = vs.applied ? 'Apply' : base.operation;
  if (!e.operation) delete e.operation;
  e.apiVersion = vs.apiVersion;
  if (time) e.time = time;
  e.fieldsType = 'FieldsV1';
  e.fieldsV1 = vs.set.toFieldsV1();
  if (base.subresource) e.subresource = base.subresource;
  return e;
}

/** A `managedFields` value that asks for reset: an empty list, or one empty entry. */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  if (entries.length !== 1) return false;
  const e = entries[0];
  return e !== null && typeof e === 'object' && Object.values(e as Record<string, unknown>).every((v) => v === undefined || v === '' || v === null);
}
