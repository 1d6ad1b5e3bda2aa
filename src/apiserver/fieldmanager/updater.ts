// Field ownership per manager on updates and applies, with conflicts and pruning (structured-merge-diff's merge.Updater).
import { FieldSet } from './field-set.ts';
import { equalValues, type Path } from './path-element.ts';
import { compare, ensureNamedFieldsAreMembers, merge, removeItems, toFieldSet, type Comparison, type Value } from './typed-value.ts';
import type { TypeRef } from './type-schema.ts';

export interface VersionedSet {
  readonly set: FieldSet;
  readonly apiVersion: string;
  /** Owned through Apply (the applier's configuration) rather than Update. */
  readonly applied: boolean;
}

/** Manager identifier (see managed-fields.ts) → what it owns. Insertion order is kept. */
export type ManagedFields = Map<string, VersionedSet>;

/** An object in one API version (`apps/v1`) with that version's schema. */
export interface TypedObject {
  readonly value: Value;
  readonly type: TypeRef;
  readonly version: string;
}

export interface Converter {
  /** The object in `version`; undefined when that version is no longer served. */
  convert(obj: TypedObject, version: string): TypedObject | undefined;
}

export interface Conflict {
  readonly manager: string;
  readonly path: Path;
}

/** Another manager owns fields the apply would change (merge.Conflicts). */
export class ApplyConflictError extends Error {
  readonly code = 'DABBA_APPLY_CONFLICT';
  readonly conflicts: readonly Conflict[];

  constructor(conflicts: readonly Conflict[]) {
    super(`${conflicts.length} apply conflict(s)`);
    this.conflicts = conflicts;
  }
}

/** Fields a version's writes never own (a kind's status on the main resource, everything but status on /status). */
export type FieldFilter = (s: FieldSet) => FieldSet;

export interface UpdaterOptions {
  readonly converter: Converter;
  readonly filter?: (version: string) => FieldFilter | undefined;
}

const filterComparison = (c: Comparison, f: FieldFilter | undefined): Comparison =>
  f ? { removed: f(c.removed), modified: f(c.modified), added: f(c.added) } : c;

export class Updater {
  readonly #converter: Converter;
  readonly #filter: (version: string) => FieldFilter | undefined;

  constructor(opts: UpdaterOptions) {
    this.#converter = opts.converter;
    this.#filter = opts.filter ?? (() => undefined);
  }

  /** Drops managers whose API version is no longer served. */
  #reconcile(live: TypedObject, managers: ManagedFields): ManagedFields {
    const out: ManagedFields = new Map();
    for (const [m, vs] of managers) if (this.#converter.convert(live, vs.apiVersion) !== undefined) out.set(m, vs);
    return out;
  }

  /**
   * Moves ownership of what changed between `oldObj` and `newObj` away from every manager but `workflow`;
   * without `force`, a change to a field someone else owns is a conflict instead.
   */
  #update(oldObj: TypedObject, newObj: TypedObject, version: string, managers: ManagedFields, workflow: string, force: boolean): { managers: ManagedFields; compare: Comparison } {
    const own = filterComparison(compare(oldObj.value, newObj.value, oldObj.type), this.#filter(version));
    const versions = new Map<string, Comparison | undefined>([[version, own]]);
    const conflicts: ManagedFields = new Map();
    const removed: ManagedFields = new Map();
    for (const [manager, vs] of [...managers]) {
      if (manager === workflow) continue;
      let cmp = versions.get(vs.apiVersion);
      if (!versions.has(vs.apiVersion)) {
        const o = this.#converter.convert(oldObj, vs.apiVersion);
        const n = this.#converter.convert(newObj, vs.apiVersion);
        cmp = o && n ? filterComparison(compare(o.value, n.value, o.type), this.#filter(vs.apiVersion)) : undefined;
        versions.set(vs.apiVersion, cmp);
      }
      if (!cmp) {
        managers.delete(manager);
        continue;
      }
      const conflictSet = vs.set.intersection(cmp.modified.union(cmp.added));
      if (!conflictSet.empty()) conflicts.set(manager, { set: conflictSet, apiVersion: vs.apiVersion, applied: false });
      if (!cmp.removed.empty()) removed.set(manager, { set: cmp.removed, apiVersion: vs.apiVersion, applied: false });
    }
    if (!force && conflicts.size > 0) {
      const list: Conflict[] = [];
      for (const [manager, vs] of conflicts) vs.set.iterate((path) => list.push({ manager, path }));
      throw new ApplyConflictError(list);
    }
    for (const [m, c] of conflicts) {
      const vs = managers.get(m)!;
      managers.set(m, { ...vs, set: vs.set.difference(c.set) });
    }
    for (const [m, r] of removed) {
      const vs = managers.get(m)!;
      managers.set(m, { ...vs, set: vs.set.difference(r.set) });
    }
    for (const [m, vs] of [...managers]) if (vs.set.empty()) managers.delete(m);
    return { managers, compare: own };
  }

  /**
   * After a create, update or non-apply patch: `manager` now owns what it changed, and nobody else owns what
   * it removed.
   */
  update(live: TypedObject, next: TypedObject, version: string, managersIn: ManagedFields, manager: string): ManagedFields {
    const { managers, compare: cmp } = this.#update(live, next, version, this.#reconcile(live, managersIn), manager, true);
    const previous = managers.get(manager)?.set ?? new FieldSet();
    let set = previous.difference(cmp.removed).union(cmp.modified).union(cmp.added);
    const f = this.#filter(version);
    if (f) set = f(set);
    if (set.empty()) managers.delete(manager);
    else managers.set(manager, { set, apiVersion: version, applied: false });
    return managers;
  }

  /**
   * Server-side apply of `config` by `manager`: merges it into `live`, removes what the manager applied before
   * but no longer does (unless someone else owns it), and fails on conflicts unless `force`. The object is
   * undefined when nothing changed.
   */
  apply(live: TypedObject, config: TypedObject, version: string, managersIn: ManagedFields, manager: string, force: boolean): { object: TypedObject | undefined; managers: ManagedFields } {
    let managers = this.#reconcile(live, managersIn);
    const merged: TypedObject = { ...live, value: merge(live.value, config.value, live.type) };
    const lastSet = managers.get(manager);
    let set = toFieldSet(config.value, config.type);
    const f = this.#filter(version);
    if (f) set = f(set);
    managers.set(manager, { set, apiVersion: version, applied: true });
    const pruned = this.#prune(merged, managers, manager, lastSet);
    managers = this.#update(live, pruned, version, managers, manager, force).managers;
    return { object: equalValues(live.value, pruned.value) ? undefined : pruned, managers };
  }

  #prune(merged: TypedObject, managers: ManagedFields, applier: string, lastSet: VersionedSet | undefined): TypedObject {
    if (!lastSet || lastSet.set.empty()) return merged;
    const atLast = this.#converter.convert(merged, lastSet.apiVersion);
    if (!atLast) return merged;
    let pruned: TypedObject = { ...atLast, value: removeItems(atLast.value, atLast.type, ensureNamedFieldsAreMembers(lastSet.set, atLast.type)) };
    pruned = this.#addBackOwnedItems(atLast, pruned, lastSet.apiVersion, managers);
    pruned = this.#addBackDanglingItems(atLast, pruned, lastSet);
    return this.#converter.convert(pruned, managers.get(applier)!.apiVersion) ?? pruned;
  }

  /** Puts back what pruning removed but some manager (or the applier's new configuration) still owns. */
  #addBackOwnedItems(merged: TypedObject, pruned: TypedObject, prunedVersion: string, managers: ManagedFields): TypedObject {
    const byVersion = new Map<string, FieldSet>();
    for (const vs of managers.values()) byVersion.set(vs.apiVersion, (byVersion.get(vs.apiVersion) ?? new FieldSet()).union(vs.set));
    const order = [...byVersion.keys()].sort((a, b) => (a === prunedVersion ? -1 : b === prunedVersion ? 1 : 0));
    for (const version of order) {
      const m = this.#converter.convert(merged, version);
      const p = this.#converter.convert(pruned, version);
      if (!m || !p) continue;
      const owned = byVersion.get(version)!;
      const ensure = (s: FieldSet) => ensureNamedFieldsAreMembers(s, m.type);
      const remove = ensure(toFieldSet(m.value, m.type)).difference(ensure(toFieldSet(p.value, p.type)).union(ensure(owned)));
      merged = m;
      pruned = { ...m, value: removeItems(m.value, m.type, remove) };
    }
    return pruned;
  }

  /** Only what the applier owned before may go: fields nobody owned, or updaters own, are put back. */
  #addBackDanglingItems(merged: TypedObject, pruned: TypedObject, lastSet: VersionedSet): TypedObject {
    const p = this.#converter.convert(pruned, lastSet.apiVersion);
    if (!p) return merged;
    const ensure = (s: FieldSet) => ensureNamedFieldsAreMembers(s, merged.type);
    const mergedSet = ensure(toFieldSet(merged.value, merged.type));
    const prunedSet = ensure(toFieldSet(p.value, p.type));
    const remove = mergedSet.difference(prunedSet).intersection(ensure(lastSet.set));
    return { ...merged, value: removeItems(merged.value, merged.type, remove) };
  }
}
