// A set of field paths stored as a sorted trie (structured-merge-diff's fieldpath.Set), with its FieldsV1 encoding.
import {
  compareElements,
  deserializeElement,
  isJsonMap,
  PathElementError,
  serializeElement,
  type Path,
  type PathElement,
} from './path-element.ts';

export interface SetNode {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

/** Index of the first entry not less than `pe` (sort.Search). */
function lowerBound<T>(items: readonly T[], pe: PathElement, get: (t: T) => PathElement): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareElements(get(items[mid]!), pe) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const self = (pe: PathElement) => pe;
const nodeElement = (n: SetNode) => n.pe;

export class FieldSetDecodeError extends Error {
  readonly code = 'DABBA_FIELDS_V1_DECODE';
}

/**
 * Members are paths owned in their own right; children hold deeper members. A path can be both (a list item
 * owned as a whole and field by field), which FieldsV1 writes as `".": {}` beside the children.
 */
export class FieldSet {
  readonly members: PathElement[];
  readonly children: SetNode[];

  constructor(members: PathElement[] = [], children: SetNode[] = []) {
    this.members = members;
    this.children = children;
  }

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds `path` (not its parents); the empty path, the whole object, is never owned. */
  insert(path: Path): void {
    if (path.length === 0) return;
    let s: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) s = s.descend(path[i]!);
    const pe = path[path.length - 1]!;
    const last = s.members[s.members.length - 1];
    if (last === undefined || compareElements(last, pe) < 0) {
      s.members.push(pe);
      return;
    }
    const at = lowerBound(s.members, pe, self);
    if (at < s.members.length && compareElements(s.members[at]!, pe) === 0) return;
    s.members.splice(at, 0, pe);
  }

  /** The child set under `pe`, created when missing. */
  descend(pe: PathElement): FieldSet {
    const last = this.children[this.children.length - 1];
    if (last === undefined || compareElements(last.pe, pe) < 0) {
      const set = new FieldSet();
      this.children.push({ pe, set });
      return set;
    }
    const at = lowerBound(this.children, pe, nodeElement);
    if (at < this.children.length && compareElements(this.children[at]!.pe, pe) === 0) return this.children[at]!.set;
    const set = new FieldSet();
    this.children.splice(at, 0, { pe, set });
    return set;
  }

  hasMember(pe: PathElement): boolean {
    const at = lowerBound(this.members, pe, self);
    return at < this.members.length && compareElements(this.members[at]!, pe) === 0;
  }

  child(pe: PathElement): FieldSet | undefined {
    const at = lowerBound(this.children, pe, nodeElement);
    return at < this.children.length && compareElements(this.children[at]!.pe, pe) === 0 ? this.children[at]!.set : undefined;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let s: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1; i++) {
      s = s.child(path[i]!);
      if (!s) return false;
    }
    return s.hasMember(path[path.length - 1]!);
  }

  /** Paths under `pe`, without the prefix (an empty set when there are none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.child(pe) ?? new FieldSet();
  }

  empty(): boolean {
    return this.members.length === 0 && this.children.every((c) => c.set.empty());
  }

  size(): number {
    return this.members.length + this.children.reduce((n, c) => n + c.set.size(), 0);
  }

  union(o: FieldSet): FieldSet {
    const members = mergeSorted(this.members, o.members, self, 'union');
    const children: SetNode[] = [];
    let i = 0;
    let j = 0;
    while (i < this.children.length && j < o.children.length) {
      const c = compareElements(this.children[i]!.pe, o.children[j]!.pe);
      if (c < 0) children.push(this.children[i++]!);
      else if (c > 0) children.push(o.children[j++]!);
      else children.push({ pe: this.children[i]!.pe, set: this.children[i++]!.set.union(o.children[j++]!.set) });
    }
    children.push(...this.children.slice(i), ...o.children.slice(j));
    return new FieldSet(members, children);
  }

  intersection(o: FieldSet): FieldSet {
    const members = mergeSorted(this.members, o.members, self, 'intersection');
    const children: SetNode[] = [];
    let i = 0;
    let j = 0;
    while (i < this.children.length && j < o.children.length) {
      const c = compareElements(this.children[i]!.pe, o.children[j]!.pe);
      if (c < 0) i++;
      else if (c > 0) j++;
      else {
        const set = this.children[i]!.set.intersection(o.children[j]!.set);
        if (!set.empty()) children.push({ pe: this.children[i]!.pe, set });
        i++;
        j++;
      }
    }
    return new FieldSet(members, children);
  }

  /** Leaf-wise difference: removing a parent does not remove its children. */
  difference(o: FieldSet): FieldSet {
    const members = mergeSorted(this.members, o.members, self, 'difference');
    const children: SetNode[] = [];
    for (const node of this.children) {
      const other = o.child(node.pe);
      if (!other) {
        children.push(node);
        continue;
      }
      const set = node.set.difference(other);
      if (!set.empty()) children.push({ pe: node.pe, set });
    }
    return new FieldSet(members, children);
  }

  /** Removes every path of `o` and everything below the members of `o`. */
  recursiveDifference(o: FieldSet): FieldSet {
    const members = mergeSorted(this.members, o.members, self, 'difference');
    const children: SetNode[] = [];
    for (const node of this.children) {
      if (o.hasMember(node.pe)) continue;
      const other = o.child(node.pe);
      if (!other) {
        children.push(node);
        continue;
      }
      const set = node.set.recursiveDifference(other);
      if (!set.empty()) children.push({ pe: node.pe, set });
    }
    return new FieldSet(members, children);
  }

  /** Keeps only `pe` itself and the paths below it. */
  only(pe: PathElement): FieldSet {
    const out = new FieldSet();
    if (this.hasMember(pe)) out.members.push(pe);
    const c = this.child(pe);
    if (c && c.size() > 0) out.children.push({ pe, set: c });
    return out;
  }

  equals(o: FieldSet): boolean {
    if (this.members.length !== o.members.length || this.children.length !== o.children.length) return false;
    for (let i = 0; i < this.members.length; i++) if (compareElements(this.members[i]!, o.members[i]!) !== 0) return false;
    for (let i = 0; i < this.children.length; i++) {
      if (compareElements(this.children[i]!.pe, o.children[i]!.pe) !== 0) return false;
      if (!this.children[i]!.set.equals(o.children[i]!.set)) return false;
    }
    return true;
  }

  /** Each member path, members before children, depth first (Set.Iterate). */
  iterate(fn: (p: Path) => void, prefix: PathElement[] = []): void {
    for (const m of this.members) fn([...prefix, m]);
    for (const c of this.children) c.set.iterate(fn, [...prefix, c.pe]);
  }

  paths(): Path[] {
    const out: Path[] = [];
    this.iterate((p) => out.push(p));
    return out;
  }

  /** The FieldsV1 trie: `{"f:spec":{"f:replicas":{}}}`, with `".":{}` where a path is both member and parent. */
  toFieldsV1(): Record<string, unknown> {
    return this.#emit(false);
  }

  #emit(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (includeSelf && (this.members.length > 0 || this.children.length > 0)) out['.'] = {};
    let mi = 0;
    let ci = 0;
    while (mi < this.members.length || ci < this.children.length) {
      const m = this.members[mi];
      const c = this.children[ci];
      const order = m === undefined ? 1 : c === undefined ? -1 : compareElements(m, c.pe);
      if (order < 0) {
        out[serializeElement(m!)] = {};
        mi++;
      } else if (order > 0) {
        out[serializeElement(c!.pe)] = c!.set.#emit(false);
        ci++;
      } else {
        out[serializeElement(c!.pe)] = c!.set.#emit(true);
        mi++;
        ci++;
      }
    }
    return out;
  }

  /** Decodes a FieldsV1 trie; unknown element types are dropped as upstream does. */
  static fromFieldsV1(fields: unknown): FieldSet {
    if (fields === null || fields === undefined) return new FieldSet();
    try {
      return read(fields).children ?? new FieldSet();
    } catch (e) {
      if (e instanceof PathElementError) throw new FieldSetDecodeError(e.message, { cause: e });
      throw e;
    }
  }
}

function read(node: unknown): { children?: FieldSet; member: boolean } {
  if (node === null) return { member: true };
  if (!isJsonMap(node)) throw new FieldSetDecodeError(`expected an object in FieldsV1, got ${JSON.stringify(node)}`);
  let member = false;
  let children: FieldSet | undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === '.') {
      member = true;
      continue;
    }
    const pe = deserializeElement(key);
    if (pe === undefined) continue;
    const r = read(value);
    if (r.member) {
      children ??= new FieldSet();
      children.insert([pe]);
    }
    if (r.children) {
      children ??= new FieldSet();
      const at = lowerBound(children.children, pe, nodeElement);
      if (at < children.children.length && compareElements(children.children[at]!.pe, pe) === 0) {
        children.children[at] = { pe, set: r.children };
      } else {
        children.children.splice(at, 0, { pe, set: r.children });
      }
    }
  }
  if (children === undefined) member = true;
  return children === undefined ? { member } : { children, member };
}

function mergeSorted<T>(a: readonly T[], b: readonly T[], get: (t: T) => PathElement, op: 'union' | 'intersection' | 'difference'): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = compareElements(get(a[i]!), get(b[j]!));
    if (c < 0) {
      if (op !== 'intersection') out.push(a[i]!);
      i++;
    } else if (c > 0) {
      if (op === 'union') out.push(b[j]!);
      j++;
    } else {
      if (op !== 'difference') out.push(a[i]!);
      i++;
      j++;
    }
  }
  if (op !== 'intersection') out.push(...a.slice(i));
  if (op === 'union') out.push(...b.slice(j));
  return out;
}
