// Schema-aware walks over JSON objects (structured-merge-diff's typed package): field sets, comparison, merge, removal and validation.
import { FieldSet } from './field-set.ts';
import {
  compareElements,
  compareStrings,
  elementToString,
  equalValues,
  fieldElement,
  isJsonMap,
  serializeElement,
  sortKeyFields,
  type JsonValue,
  type KeyField,
  type PathElement,
} from './path-element.ts';
import { deduced, type Atom, type ListSchema, type MapSchema, type ScalarType, type TypeRef } from './type-schema.ts';

/** A value in a walk: undefined is an absent field, null an explicit JSON null. */
export type Value = JsonValue | undefined;
type JsonMap = { [key: string]: JsonValue };

export interface ValidationError {
  readonly path: string;
  readonly message: string;
}

/** Validation errors worded and joined as structured-merge-diff's ValidationErrors. */
export class TypedValueError extends Error {
  readonly code = 'DABBA_TYPED_VALUE';
  readonly errors: readonly ValidationError[];

  constructor(errors: readonly ValidationError[]) {
    const one = (e: ValidationError) => (e.path ? `${e.path}: ${e.message}` : e.message);
    super(errors.length === 1 ? one(errors[0]!) : ['errors:', ...errors.map((e) => '  ' + one(e))].join('\n'));
    this.errors = errors;
  }
}

const noType: Atom = {};
const resolve = (tr: TypeRef | undefined): Atom => tr?.resolve() ?? noType;

/** The form of `atom` that fits `v` (deduceAtom); null and absent values keep every form. */
function deduceAtom(atom: Atom, v: Value): Atom {
  if (v === undefined || v === null) return atom;
  if (Array.isArray(v)) return atom.list ? { list: atom.list } : atom;
  if (typeof v === 'object') return atom.map ? { map: atom.map } : atom;
  return atom.scalar ? { scalar: atom.scalar } : atom;
}

const sameAtom = (a: Atom, b: Atom) => a.scalar === b.scalar && a.list === b.list && a.map === b.map;

/** The type of a map entry: its declared field, else the map's element type (deduced when neither). */
function fieldType(m: MapSchema, key: string): TypeRef {
  return m.fields.get(key)?.type ?? m.elementType ?? deduced;
}

const asList = (v: Value): JsonValue[] | undefined => (Array.isArray(v) ? v : undefined);
const asMap = (v: Value): JsonMap | undefined => (isJsonMap(v) ? v : undefined);

class ElementError extends Error {}

/** The path element of a list item: its key fields (with schema defaults) or, in a set, its value. */
export function listItemElement(list: ListSchema, child: JsonValue): PathElement {
  if (list.relationship !== 'associative') throw new ElementError('invalid indexing of non-associative list');
  if (list.keys.length > 0) {
    if (child === null) throw new ElementError('associative list with keys may not have a null element');
    if (!isJsonMap(child)) throw new ElementError('associative list with keys may not have non-map elements');
    const fields: KeyField[] = [];
    for (const key of list.keys) {
      if (Object.hasOwn(child, key)) {
        fields.push([key, child[key]!]);
        continue;
      }
      const item = list.elementType.resolve();
      if (!item) throw new ElementError(`couldn't find default value for ${key}: invalid elementType for list`);
      if (!item.map) throw new ElementError(`couldn't find default value for ${key}: associative list may not have non-map types`);
      const def = item.map.fields.get(key)?.default;
      if (def === undefined || def === null) {
        throw new ElementError(`associative list with keys has an element that omits key field ${JSON.stringify(key)} (and doesn't have default value)`);
      }
      fields.push([key, def]);
    }
    return { kind: 'key', fields: sortKeyFields(fields) };
  }
  if (isJsonMap(child)) throw new ElementError("associative list without keys has an element that's a map type");
  if (Array.isArray(child)) throw new ElementError('not supported: associative list with lists as elements');
  if (child === null) throw new ElementError("associative list without keys has an element that's an explicit null");
  return { kind: 'value', value: child };
}

function itemElement(list: ListSchema, child: JsonValue, i: number): PathElement {
  try {
    return listItemElement(list, child);
  } catch (e) {
    if (e instanceof ElementError) throw new TypedValueError([{ path: '', message: `element ${i}: ${e.message}` }]);
    throw e;
  }
}

// ---- validation ----

/** Go's %v of an unstructured value inside a structured-merge-diff message. */
function goValue(v: JsonValue): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k]!)}`).join(' ')}]`;
  return String(v);
}

function scalarError(t: ScalarType, v: Value): string | undefined {
  if (v === undefined || v === null) return undefined;
  switch (t) {
    case 'numeric':
      if (typeof v === 'number') return undefined;
      return `expected numeric (int or float), got ${typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}'}`;
    case 'string':
      return typeof v === 'string' ? undefined : `expected string, got &value.valueUnstructured{Value:${goValue(v)}}`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `expected boolean, got &{${goValue(v)}}`;
    default:
      return typeof v === 'object' ? `expected any scalar, got &{${goValue(v)}}` : undefined;
  }
}

/**
 * Checks `v` against the schema as ObjectToTyped does: undeclared fields, scalar types, list keys and (unless
 * `allowDuplicates`) duplicate list items. Returns the errors with their paths.
 */
export function validate(v: JsonValue, tr: TypeRef, allowDuplicates: boolean): ValidationError[] {
  const errs: ValidationError[] = [];
  const walk = (value: JsonValue, type: TypeRef, prefix: string) => {
    const a = deduceAtom(resolve(type), value);
    const push = (message: string, path = prefix) => errs.push({ path, message });
    if (a.map) {
      if (value === null) return;
      if (!isJsonMap(value)) return push(`expected map, got &{${goValue(value)}}`);
      for (const [k, child] of Object.entries(value)) {
        const t = a.map.fields.get(k)?.type ?? a.map.elementType;
        if (t === undefined) {
          push('field not declared in schema', `${prefix}.${k}`);
          break;
        }
        walk(child, t, `${prefix}.${k}`);
      }
    } else if (a.scalar) {
      const e = scalarError(a.scalar, value);
      if (e) push(e);
    } else if (a.list) {
      if (value === null) return;
      if (!Array.isArray(value)) return push(`expected list, got &{${goValue(value)}}`);
      const seen = new Set<string>();
      for (let i = 0; i < value.length; i++) {
        let pe: PathElement;
        if (a.list.relationship !== 'associative') pe = { kind: 'index', index: i };
        else {
          try {
            pe = listItemElement(a.list, value[i]!);
          } catch (e) {
            if (!(e instanceof ElementError)) throw e;
            push(`element ${i}: ${e.message}`);
            return;
          }
          const key = serializeElement(pe);
          if (seen.has(key) && !allowDuplicates) push(`duplicate entries for key ${elementToString(pe)}`);
          seen.add(key);
        }
        walk(value[i]!, a.list.elementType, prefix + elementToString(pe));
      }
    } else {
      push('schema error: invalid atom: inlined');
    }
  };
  walk(v, tr, '');
  return errs;
}

// ---- field sets ----

/** Every leaf field and list item `v` mentions (TypedValue.ToFieldSet). */
export function toFieldSet(v: Value, tr: TypeRef): FieldSet {
  const set = new FieldSet();
  const walk = (value: Value, type: TypeRef, path: PathElement[]) => {
    const a = deduceAtom(resolve(type), value);
    if (a.map) {
      if (a.map.relationship === 'atomic') return set.insert(path);
      const m = asMap(value);
      if (!m) return;
      // Walking in set order makes every insertion an append.
      for (const k of Object.keys(m).sort(compareStrings)) {
        const child = m[k]!;
        const p = [...path, fieldElement(k)];
        walk(child, fieldType(a.map, k), p);
        if (child === null || (isJsonMap(child) && Object.keys(child).length === 0)) set.insert(p);
        else if (!a.map.fields.has(k)) set.insert(p);
      }
    } else if (a.scalar) {
      set.insert(path);
    } else if (a.list) {
      if (a.list.relationship === 'atomic') return set.insert(path);
      const l = asList(value);
      if (!l) return;
      const elements = l.map((child, i) => ({ pe: itemElement(a.list!, child, i), child }));
      const count = new Map<string, number>();
      for (const { pe } of elements) count.set(serializeElement(pe), (count.get(serializeElement(pe)) ?? 0) + 1);
      elements.sort((x, y) => compareElements(x.pe, y.pe));
      for (const { pe, child } of elements) {
        const p = [...path, pe];
        if (count.get(serializeElement(pe))! > 1) {
          set.insert(p);
          continue;
        }
        walk(child, a.list.elementType, p);
        set.insert(p);
      }
    } else {
      set.insert(path);
    }
  };
  walk(v, tr, []);
  return set;
}

/** Adds named struct fields that have owned children to the members (Set.EnsureNamedFieldsAreMembers). */
export function ensureNamedFieldsAreMembers(s: FieldSet, tr: TypeRef | undefined): FieldSet {
  const atom = resolve(tr);
  const out = new FieldSet([...s.members]);
  for (const c of s.children) {
    if (c.pe.kind === 'field' && atom.map?.fields.has(c.pe.name)) out.insert([c.pe]);
  }
  for (const c of s.children) {
    let childType: TypeRef | undefined;
    if (c.pe.kind === 'field' && atom.map) childType = atom.map.fields.get(c.pe.name)?.type ?? atom.map.elementType;
    else if (c.pe.kind === 'key' && atom.list) childType = atom.list.elementType;
    out.children.push({ pe: c.pe, set: ensureNamedFieldsAreMembers(c.set, childType) });
  }
  return out;
}

// ---- comparison ----

export interface Comparison {
  removed: FieldSet;
  modified: FieldSet;
  added: FieldSet;
}

/** What changed from `lhs` to `rhs`, field by field, atomic values as a whole (TypedValue.Compare). */
export function compare(lhs: Value, rhs: Value, tr: TypeRef): Comparison {
  const c: Comparison = { removed: new FieldSet(), modified: new FieldSet(), added: new FieldSet() };
  walkCompare(lhs, rhs, tr, [], c);
  return c;
}

function walkCompare(lhs: Value, rhs: Value, tr: TypeRef, path: PathElement[], c: Comparison): void {
  const state = { inLeaf: false };
  const atom = resolve(tr);
  const al = deduceAtom(atom, lhs);
  const ar = deduceAtom(atom, rhs);
  if (rhs === undefined) compareAtom(al, lhs, rhs, path, c, state);
  else if (lhs === undefined || sameAtom(al, ar)) compareAtom(ar, lhs, rhs, path, c, state);
  else {
    compareAtom(al, lhs, rhs, path, c, { inLeaf: false });
    compareAtom(ar, lhs, rhs, path, c, state);
  }
  if (!state.inLeaf) {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
  }
}

function compareLeaf(lhs: Value, rhs: Value, path: PathElement[], c: Comparison, state: { inLeaf: boolean }): void {
  if (state.inLeaf) return;
  state.inLeaf = true;
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
  else if (!equalValues(rhs, lhs)) c.modified.insert(path);
}

function compareAtom(a: Atom, lhs: Value, rhs: Value, path: PathElement[], c: Comparison, state: { inLeaf: boolean }): void {
  if (a.map) {
    const l = asMap(lhs);
    const r = asMap(rhs);
    const emptyLeaf = (!l || Object.keys(l).length === 0) && (!r || Object.keys(r).length === 0);
    if (a.map.relationship === 'atomic' || emptyLeaf) return compareLeaf(lhs, rhs, path, c, state);
    const keys = [...new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})])].sort(compareStrings);
    for (const k of keys) walkCompare(l?.[k], r?.[k], fieldType(a.map, k), [...path, fieldElement(k)], c);
  } else if (a.scalar) {
    compareLeaf(lhs, rhs, path, c, state);
  } else if (a.list) {
    const l = asList(lhs);
    const r = asList(rhs);
    const emptyLeaf = (!l || l.length === 0) && (!r || r.length === 0);
    if (a.list.relationship === 'atomic' || emptyLeaf) return compareLeaf(lhs, rhs, path, c, state);
    compareListItems(a.list, l ?? [], r ?? [], path, c);
  } else {
    compareLeaf(lhs, rhs, path, c, state);
  }
}

interface Indexed {
  pe: PathElement;
  values: JsonValue[];
}

function indexItems(list: ListSchema, items: JsonValue[]): Map<string, Indexed> {
  const out = new Map<string, Indexed>();
  items.forEach((child, i) => {
    const pe = itemElement(list, child, i);
    const key = serializeElement(pe);
    const seen = out.get(key);
    if (seen) seen.values.push(child);
    else out.set(key, { pe, values: [child] });
  });
  return out;
}

function compareListItems(list: ListSchema, lhs: JsonValue[], rhs: JsonValue[], path: PathElement[], c: Comparison): void {
  const left = indexItems(list, lhs);
  const right = indexItems(list, rhs);
  const all = new Map<string, PathElement>();
  for (const [k, v] of left) all.set(k, v.pe);
  for (const [k, v] of right) if (!all.has(k)) all.set(k, v.pe);
  for (const [key, pe] of [...all].sort((x, y) => compareElements(x[1], y[1]))) {
    const l = left.get(key)?.values ?? [];
    const r = right.get(key)?.values ?? [];
    const p = [...path, pe];
    if (l.length <= 1 && r.length <= 1) walkCompare(l[0], r[0], list.elementType, p, c);
    else if (l.length >= 2 && r.length >= 2) {
      if (l.length !== r.length || l.some((v, i) => !equalValues(v, r[i]))) c.modified.insert(p);
    } else if (l.length >= 2) {
      if (r.length !== 0) walkCompare(undefined, r[0], list.elementType, p, c);
      c.removed.insert(p);
    } else {
      if (l.length !== 0) walkCompare(l[0], undefined, list.elementType, p, c);
      c.added.insert(p);
    }
  }
}

// ---- merge ----

/**
 * Merges a partial object into `lhs`: fields of `rhs` win, nothing is removed, and list items keep the
 * order of `rhs` where it mentions them (TypedValue.Merge). Throws on duplicate items in `rhs`.
 */
export function merge(lhs: Value, rhs: Value, tr: TypeRef): Value {
  return walkMerge(lhs, rhs, tr);
}

function walkMerge(lhs: Value, rhs: Value, tr: TypeRef): Value {
  const atom = resolve(tr);
  const al = deduceAtom(atom, lhs);
  const ar = deduceAtom(atom, rhs);
  if (rhs === undefined) return mergeAtom(al, lhs, rhs);
  if (lhs === undefined || sameAtom(al, ar)) return mergeAtom(ar, lhs, rhs);
  // The left-hand form is walked for its errors only; the result is the right-hand one (as upstream).
  mergeAtom(al, lhs, rhs);
  return mergeAtom(ar, lhs, rhs);
}

const keepRight = (lhs: Value, rhs: Value): Value => (rhs !== undefined ? rhs : lhs);

function mergeAtom(a: Atom, lhs: Value, rhs: Value): Value {
  if (a.map) {
    const l = asMap(lhs);
    const r = asMap(rhs);
    const emptyLeaf = (!l || Object.keys(l).length === 0) && (!r || Object.keys(r).length === 0);
    if (a.map.relationship === 'atomic' || emptyLeaf) return keepRight(lhs, rhs);
    if (!l && !r) return undefined;
    const out: JsonMap = {};
    const keys = new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})]);
    for (const k of keys) {
      const v = walkMerge(l?.[k], r?.[k], fieldType(a.map, k));
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (a.scalar) return keepRight(lhs, rhs);
  if (a.list) {
    const l = asList(lhs);
    const r = asList(rhs);
    const emptyLeaf = (!l || l.length === 0) && (!r || r.length === 0);
    if (a.list.relationship === 'atomic' || emptyLeaf) return keepRight(lhs, rhs);
    if (!l && !r) return undefined;
    return mergeListItems(a.list, l ?? [], r ?? []);
  }
  return keepRight(lhs, rhs);
}

function mergeListItems(list: ListSchema, lhs: JsonValue[], rhs: JsonValue[]): Value {
  const rhsPEs: PathElement[] = [];
  const observedRHS = new Map<string, JsonValue>();
  const errors: ValidationError[] = [];
  rhs.forEach((child, i) => {
    let pe: PathElement;
    try {
      pe = listItemElement(list, child);
    } catch (e) {
      if (!(e instanceof ElementError)) throw e;
      errors.push({ path: '', message: `element ${i}: ${e.message}` });
      return;
    }
    const key = serializeElement(pe);
    if (observedRHS.has(key)) {
      errors.push({ path: '', message: `duplicate entries for key ${elementToString(pe)}` });
      return;
    }
    observedRHS.set(key, child);
    rhsPEs.push(pe);
  });
  const lhsPEs: PathElement[] = [];
  const observedLHS = new Map<string, JsonValue>();
  lhs.forEach((child, i) => {
    let pe: PathElement;
    try {
      pe = listItemElement(list, child);
    } catch (e) {
      if (!(e instanceof ElementError)) throw e;
      errors.push({ path: '', message: `element ${i}: ${e.message}` });
      return;
    }
    const key = serializeElement(pe);
    // Duplicated live items are not merged with the applied one.
    observedLHS.set(key, observedLHS.has(key) ? null : child);
    lhsPEs.push(pe);
  });
  if (errors.length > 0) throw new TypedValueError(errors);

  const keyOf = serializeElement;
  const sharedOrder = rhsPEs.filter((pe) => observedLHS.has(keyOf(pe)));
  let nextShared = sharedOrder.shift();
  const mergedRHS = new Set<string>();
  const out: JsonValue[] = [];
  const push = (l: Value, r: Value) => {
    const v = walkMerge(l, r, list.elementType);
    if (v !== undefined) out.push(v);
  };
  let lI = 0;
  let rI = 0;
  while (lI < lhsPEs.length || rI < rhsPEs.length) {
    if (lI < lhsPEs.length && rI < rhsPEs.length) {
      const pe = lhsPEs[lI]!;
      if (compareElements(pe, rhsPEs[rI]!) === 0) {
        mergedRHS.add(keyOf(pe));
        push(observedLHS.get(keyOf(pe)), observedRHS.get(keyOf(pe)));
        lI++;
        rI++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (observedRHS.has(keyOf(pe)) && nextShared !== undefined && compareElements(nextShared, pe) !== 0) {
        lI++;
        continue;
      }
    }
    if (lI < lhsPEs.length) {
      const pe = lhsPEs[lI]!;
      if (!observedRHS.has(keyOf(pe))) {
        push(lhs[lI], undefined);
        lI++;
        continue;
      } else if (mergedRHS.has(keyOf(pe))) {
        lI++;
      }
    }
    if (rI < rhsPEs.length) {
      const pe = rhsPEs[rI]!;
      mergedRHS.add(keyOf(pe));
      push(observedLHS.get(keyOf(pe)), observedRHS.get(keyOf(pe)));
      rI++;
      if (nextShared !== undefined && compareElements(nextShared, pe) === 0) nextShared = sharedOrder.shift();
    }
  }
  return out.length > 0 ? out : undefined;
}

// ---- removal ----

/** Removes the listed fields and list items from `v`; containers left empty become null (TypedValue.RemoveItems). */
export function removeItems(v: Value, tr: TypeRef, toRemove: FieldSet): JsonValue {
  const a = deduceAtom(resolve(tr), v);
  if (a.map) {
    if (!isJsonMap(v) || Object.keys(v).length === 0 || a.map.relationship === 'atomic') return null;
    const out: JsonMap = {};
    for (const [k, child] of Object.entries(v)) {
      const pe = fieldElement(k);
      if (toRemove.hasMember(pe)) continue;
      const subset = toRemove.withPrefix(pe);
      out[k] = subset.empty() ? child : removeItems(child, fieldType(a.map, k), subset);
    }
    return Object.keys(out).length > 0 ? out : null;
  }
  if (a.scalar) return v === undefined ? null : v;
  if (a.list) {
    if (!Array.isArray(v) || v.length === 0 || a.list.relationship === 'atomic') return null;
    const out: JsonValue[] = [];
    for (const child of v) {
      let pe: PathElement;
      try {
        pe = listItemElement(a.list, child);
      } catch (e) {
        if (!(e instanceof ElementError)) throw e;
        out.push(child);
        continue;
      }
      if (toRemove.hasMember(pe)) continue;
      const subset = toRemove.withPrefix(pe);
      out.push(subset.empty() ? child : removeItems(child, a.list.elementType, subset));
    }
    return out.length > 0 ? out : null;
  }
  return v === undefined ? null : v;
}
