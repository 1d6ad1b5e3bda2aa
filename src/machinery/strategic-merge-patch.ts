// Applies a Kubernetes strategic merge patch to an object the way apimachinery's strategicpatch does on the server.
import { unknownPatchMeta, type PatchMeta } from './patch-meta.ts';

type JsonObject = Record<string, unknown>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

const GO_MAP = 'map[string]interface {}';
const GO_SLICE = '[]interface {}';

const ERR_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';

/**
 * A patch the merge cannot apply. `message` is upstream's wording; `status` is the HTTP code
 * kube-apiserver answers with: 400 for malformed directive syntax or a non-object patch, 422 for
 * lists of lists, and 500 (reason Unknown) for everything upstream leaves unclassified, such as a
 * missing merge key.
 */
export class StrategicMergePatchError extends Error {
  readonly code = 'SMP_INVALID';
  readonly status: 400 | 422 | 500;

  constructor(message: string, status: 400 | 422 | 500 = 500) {
    super(message);
    this.name = 'StrategicMergePatchError';
    this.status = status;
  }
}

/**
 * Returns `original` with `patch` applied. Inputs are never mutated and the result shares no
 * objects with them. Directives ($patch, $retainKeys, $setElementOrder/…, $deleteFromPrimitiveList/…)
 * are consumed, never copied into the result.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, meta: PatchMeta): unknown {
  if (original !== null && original !== undefined && !isObject(original)) {
    throw new StrategicMergePatchError(badArgType(GO_MAP, original));
  }
  const base = isObject(original) ? (cloneJson(original) as JsonObject) : {};
  // Upstream decodes the patch body into a map: `null` decodes to nothing, anything else but an object fails.
  if (patch === null || patch === undefined) return base;
  if (!isObject(patch)) {
    throw new StrategicMergePatchError(
      `json: cannot unmarshal ${jsonKind(patch)} into Go value of type ${GO_MAP}`,
      400,
    );
  }
  // Both sides are private copies from here on, so the merge may edit them in place.
  return mergeMap(base, cloneJson(patch) as JsonObject, meta);
}

function mergeMap(original: JsonObject, patch: JsonObject, meta: PatchMeta): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    // Upstream leaves an empty map behind rather than removing the key.
    if (directive === 'delete') return {};
    // Upstream rejects an explicit `merge`; it is the default, so it is accepted here as a no-op.
    if (directive !== 'replace' && directive !== 'merge') throw badPatchType(directive, patch);
    delete patch[DIRECTIVE];
    // Merging into nothing keeps the replacement literal while still consuming nested directives.
    if (directive === 'replace') return mergeMap({}, patch, meta);
  }

  applyRetainKeys(original, patch);

  const fields: string[] = [];
  const orders = new Map<string, unknown>();
  const deletions = new Map<string, unknown>();
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === undefined) continue;
    if (key.startsWith(SET_ELEMENT_ORDER)) {
      orders.set(directiveTarget(key, SET_ELEMENT_ORDER, ERR_SET_ELEMENT_ORDER), value);
    } else if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deletions.set(directiveTarget(key, DELETE_FROM_PRIMITIVE_LIST, ERR_PRIMITIVE_LIST), value);
    } else {
      fields.push(key);
    }
  }

  const keys = new Set([...fields, ...orders.keys(), ...deletions.keys()]);
  const inPatch = new Set(fields);
  for (const key of keys) {
    const fieldMeta = childMeta(meta, key);
    const before = own(original, key);
    const hasOriginal = before !== undefined && before !== null;
    const value = inPatch.has(key) ? patch[key] : undefined;
    const order = orders.get(key);
    const hasOrder = orders.has(key);

    if (hasOrder) checkElementOrder(order, hasOriginal, before, inPatch.has(key), value, fieldMeta);

    // The live order that $setElementOrder interleaves server-only elements by (see mergeList).
    let live: unknown[] = Array.isArray(before) ? before : [];
    if (inPatch.has(key)) {
      if (value === null) {
        delete original[key];
      } else {
        const merged = mergeValue(hasOriginal ? before : undefined, value, fieldMeta);
        put(original, key, merged.value);
        if (merged.live) live = merged.live;
      }
    }

    const current = own(original, key);
    if (hasOrder && Array.isArray(current)) {
      const fromOriginal = Array.isArray(before) ? before : [];
      const fromPatch = Array.isArray(value) ? value : [];
      put(original, key, applyElementOrder(current, order as unknown[], live, fromOriginal, fromPatch, fieldMeta));
    }

    if (deletions.has(key)) deleteFromPrimitiveList(original, key, deletions.get(key));
  }
  return original;
}

/** Clears every key of `original` not named by the patch's $retainKeys, after checking the patch names only retained keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw new StrategicMergePatchError(ERR_RETAIN_KEYS, 400);
  const retained = new Set<unknown>(list);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(key)) throw new StrategicMergePatchError(ERR_RETAIN_KEYS, 400);
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

interface Merged {
  value: unknown;
  /** For merged lists of maps: the live list as upstream sees it when ordering (see mergeList). */
  live?: unknown[];
}

function mergeValue(before: unknown, value: unknown, meta: PatchMeta): Merged {
  if (isObject(value)) {
    const base = isObject(before) && patchStrategy(meta) !== 'replace' ? before : {};
    return { value: mergeMap(base, value, meta) };
  }
  if (Array.isArray(value) && patchStrategy(meta) === 'merge') {
    return mergeList(Array.isArray(before) ? before : [], value, meta);
  }
  // Primitives and lists without the merge strategy replace whatever was there.
  return { value };
}

function mergeList(original: unknown[], patch: unknown[], meta: PatchMeta): Merged {
  if (original.length === 0 && patch.length === 0) return { value: original, live: original };
  const kind = elementKind(original, patch);
  const mergeKey = meta.mergeKey ?? '';

  if (kind !== 'map') {
    // A set of primitives: union, deduplicated, then ordered like any merged list.
    const merged = [...new Set([...original, ...patch])];
    if (mergeKey) throw new StrategicMergePatchError(badArgType(GO_MAP, merged[0]));
    const wanted = new Set(patch);
    const fromPatch = merged.filter((v) => wanted.has(v));
    const serverOnly = merged.filter((v) => !wanted.has(v));
    return { value: normalizeOrder(fromPatch, serverOnly, patch, original, identity), live: original };
  }

  if (!mergeKey) {
    throw new StrategicMergePatchError(`cannot merge lists without merge key for type ${goKindName(meta.items)}`);
  }
  const elementMeta = meta.items ?? unknownPatchMeta;
  const keyOf = (v: unknown): unknown => (v as JsonObject)[mergeKey];

  let survivors = original as JsonObject[];
  const plain: JsonObject[] = [];
  let replace = false;
  for (const element of patch as JsonObject[]) {
    if (!hasOwn(element, DIRECTIVE)) {
      plain.push(element);
      continue;
    }
    const directive = element[DIRECTIVE];
    if (directive === 'delete') {
      if (!hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
      const doomed = element[mergeKey];
      survivors = survivors.filter((o) => !(hasOwn(o, mergeKey) && o[mergeKey] === doomed));
    } else if (directive === 'replace') {
      // Keep scanning: the remaining special elements must still be valid.
      replace = true;
    } else if (directive === 'merge') {
      throw new StrategicMergePatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, element);
    }
  }

  if (replace) {
    for (const element of plain) if (!hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
    return { value: plain.map((element) => mergeMap({}, element, elementMeta)), live: original };
  }

  const merged = survivors.slice();
  const added: JsonObject[] = [];
  for (const element of plain) {
    if (!hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
    const key = element[mergeKey];
    const at = merged.findIndex((o) => hasOwn(o, mergeKey) && o[mergeKey] === key);
    if (at >= 0) {
      merged[at] = mergeMap(merged[at], element, elementMeta);
    } else {
      const fresh = mergeMap({}, element, elementMeta);
      merged.push(fresh);
      added.push(fresh);
    }
  }

  const wanted = new Set(plain.map(keyOf));
  const fromPatch: JsonObject[] = [];
  const serverOnly: JsonObject[] = [];
  for (const element of merged) {
    if (!hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
    (wanted.has(element[mergeKey]) ? fromPatch : serverOnly).push(element);
  }
  // Upstream deletes elements by shifting them out of the live slice in place and then appends new
  // elements to it, so when $setElementOrder later consults that slice it sees the survivors
  // followed by as many new elements as there were freed slots. Server-only elements are placed
  // relative to new ones by that view, so it is reproduced here.
  const live = [...survivors, ...added.slice(0, original.length - survivors.length)];
  return { value: normalizeOrder(fromPatch, serverOnly, plain, survivors, keyOf), live };
}

/** Upstream's checks on a $setElementOrder directive and the list it orders, made before merging. */
function checkElementOrder(
  order: unknown,
  hasOriginal: boolean,
  before: unknown,
  hasPatch: boolean,
  value: unknown,
  meta: PatchMeta,
): void {
  if (!Array.isArray(order)) throw new StrategicMergePatchError(badArgType(GO_SLICE, order));
  if (hasOriginal && !Array.isArray(before)) throw new StrategicMergePatchError(badArgType(GO_SLICE, before));
  if (hasPatch && !Array.isArray(value)) throw new StrategicMergePatchError(badArgType(GO_SLICE, value));
  patchStrategy(meta);
  const patchList = hasPatch ? (value as unknown[]) : [];
  if (order.length === 0 || patchList.length === 0) return;

  // Non-deleted patch elements must appear in the order list, in the same relative order.
  const mergeKey = meta.mergeKey ?? '';
  let items = patchList;
  if (mergeKey) {
    for (const item of patchList) if (!isObject(item)) throw new StrategicMergePatchError(badArgType(GO_MAP, item));
    items = (patchList as JsonObject[]).filter((item) => item[DIRECTIVE] !== 'delete');
  }
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && hasOwn(items[p] as JsonObject, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw new StrategicMergePatchError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isObject(left)) throw new StrategicMergePatchError(badArgType(GO_MAP, left));
  if (!isObject(right)) throw new StrategicMergePatchError(badArgType(GO_MAP, right));
  if (!hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/**
 * Reorders a merged list by $setElementOrder: listed elements take the directive's order, the
 * rest keep their live order and are interleaved where the live list had them.
 */
function applyElementOrder(
  list: unknown[],
  order: unknown[],
  live: unknown[],
  fromOriginal: unknown[],
  fromPatch: unknown[],
  meta: PatchMeta,
): unknown[] {
  // Upstream fails on an order for a list with no elements anywhere; there is nothing to order.
  const kind = elementKind(fromOriginal, fromPatch);
  if (kind === undefined) return list;
  const mergeKey = meta.mergeKey ?? '';
  let keyOf: (v: unknown) => unknown = identity;
  if (mergeKey) {
    for (const element of [...order, ...list]) {
      if (!isObject(element)) throw new StrategicMergePatchError(badArgType(GO_MAP, element));
      if (!hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
    }
    keyOf = (v) => (isObject(v) ? v[mergeKey] : undefined);
  } else if (kind === 'map') {
    // Without a merge key, maps cannot be matched against the order list.
    return list;
  }
  const wanted = new Set(order.map(keyOf));
  const listed = list.filter((v) => wanted.has(keyOf(v)));
  const serverOnly = list.filter((v) => !wanted.has(keyOf(v)));
  return normalizeOrder(listed, serverOnly, order, live, keyOf);
}

/**
 * Upstream's ordering rule: sort patch elements by `patchOrder` and server-only elements by
 * `serverOrder`, then interleave them, taking a server-only element first only when both it and
 * the next patch element are in `serverOrder` and it comes earlier there. New elements therefore
 * go before the server-only elements that follow them.
 */
function normalizeOrder(
  fromPatch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  keyOf: (v: unknown) => unknown,
): unknown[] {
  const serverIndex = firstIndexes(serverOrder, keyOf);
  const left = sortByIndex(serverOnly, serverIndex, keyOf);
  const right = sortByIndex(fromPatch, firstIndexes(patchOrder, keyOf), keyOf);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = serverIndex.get(keyOf(left[i]));
    const ri = serverIndex.get(keyOf(right[j]));
    if (li !== undefined && ri !== undefined && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return out.concat(left.slice(i), right.slice(j));
}

function firstIndexes(list: unknown[], keyOf: (v: unknown) => unknown): Map<unknown, number> {
  const index = new Map<unknown, number>();
  list.forEach((v, i) => {
    const key = keyOf(v);
    if (!index.has(key)) index.set(key, i);
  });
  return index;
}

/** Stable sort by position in an order list; elements absent from it keep their relative order at the end. */
function sortByIndex(items: unknown[], index: Map<unknown, number>, keyOf: (v: unknown) => unknown): unknown[] {
  return items
    .map((item, i) => ({ item, at: index.get(keyOf(item)) ?? Number.MAX_SAFE_INTEGER, i }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((entry) => entry.item);
}

/**
 * Applies `$deleteFromPrimitiveList/<key>`. Upstream only honours it on merge-strategy lists and
 * otherwise writes the deletion list itself into the object; here the values are always removed.
 */
function deleteFromPrimitiveList(target: JsonObject, key: string, values: unknown): void {
  if (!Array.isArray(values) || values.some((v) => typeof v === 'object' && v !== null)) {
    throw new StrategicMergePatchError(ERR_PRIMITIVE_LIST, 400);
  }
  const current = own(target, key);
  if (!Array.isArray(current)) return;
  const doomed = new Set<unknown>(values);
  put(target, key, current.filter((v) => !doomed.has(v)));
}

/** The field a `<prefix>/<field>` directive key names. */
function directiveTarget(key: string, prefix: string, error: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw new StrategicMergePatchError(error, 400);
  return key.slice(slash + 1);
}

/** The strategy other than retainKeys, validated the way upstream reads the patchStrategy tag. */
function patchStrategy(meta: PatchMeta): string {
  const s = meta.strategies;
  if (s.length === 0) return '';
  if (s.length === 1) return s[0] === 'retainKeys' ? '' : s[0];
  if (s.length === 2 && s[0] === 'retainKeys') return s[1];
  if (s.length === 2 && s[1] === 'retainKeys') return s[0];
  throw new StrategicMergePatchError(`unexpected patch strategy: [${s.join(' ')}]`);
}

function childMeta(meta: PatchMeta, key: string): PatchMeta {
  if (meta.kind === 'map' && meta.items) return meta.items;
  return meta.field(key) ?? unknownPatchMeta;
}

/** The common kind of all elements, as upstream requires: no lists of lists, no mixed kinds. */
function elementKind(...lists: unknown[][]): string | undefined {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = Array.isArray(v) ? 'slice' : isObject(v) ? 'map' : v === null ? 'nil' : typeof v;
      if (kind === undefined) {
        if (k === 'slice') throw new StrategicMergePatchError('lists of lists are not supported', 422);
        kind = k;
      } else if (k !== kind) {
        throw new StrategicMergePatchError(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  return kind;
}

function noMergeKey(m: JsonObject, key: string): StrategicMergePatchError {
  return new StrategicMergePatchError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

function badPatchType(directive: unknown, m: JsonObject): StrategicMergePatchError {
  return new StrategicMergePatchError(`unknown patch type: ${goFormatS(directive)} in map: ${goFormat(m)}`);
}

function badArgType(expected: string, actual: unknown): string {
  return `expected a ${expected}, but received a ${actual === null || actual === undefined ? '%!s(<nil>)' : goTypeName(actual)}`;
}

// Go renderings, so that messages read exactly like upstream's (`fmt` %v and %s of decoded JSON).

function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormat(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

function goFormatS(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return `[${v.map(goFormatS).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormatS(v[k])}`)
      .join(' ')}]`;
  }
  return `%!s(${goTypeName(v)}=${goFormat(v)})`;
}

function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return GO_SLICE;
  if (isObject(v)) return GO_MAP;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** Integers print as int64 (apimachinery's JSON keeps them integral); other numbers as Go's %v of a float64. */
function goNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v).toString();
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [digits, exponent] = v.toExponential().split('e');
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(v);
  return `${digits}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function goKindName(meta: PatchMeta | undefined): string {
  switch (meta?.kind) {
    case 'object':
      return 'struct';
    case 'map':
      return 'map';
    case 'list':
      return 'slice';
    case 'primitive':
      return 'string';
    default:
      return 'interface';
  }
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

// Plain-JSON helpers. Keys are written with defineProperty when needed so that a `__proto__` key in
// a patch stays data instead of replacing an object's prototype.

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasOwn(o: JsonObject, key: string): boolean {
  return Object.hasOwn(o, key);
}

function own(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function put(o: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    o[key] = value;
  }
}

function identity(v: unknown): unknown {
  return v;
}

function cloneJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneJson);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(v)) {
    if (value !== undefined) put(out, key, cloneJson(value));
  }
  return out;
}
