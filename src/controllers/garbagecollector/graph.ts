// The garbage collector's owner→dependents graph, kept from informer events, saying which objects need another look after each change.
import type { KObject, OwnerReference } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';

export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

export interface GraphNode {
  uid: string;
  ref: ResourceRef;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  owners: OwnerReference[];
  /** Has a deletionTimestamp: on a one-way trip to removal. */
  beingDeleted: boolean;
  /** Being deleted in Foreground mode: waits for its blocking dependents to go first. */
  deletingDependents: boolean;
  /** Being deleted in Orphan mode: its dependents lose their references to it first. */
  orphaningDependents: boolean;
}

/** The uids to process after a change: candidates for deletion and owners whose dependents must be orphaned. */
export interface GraphWork {
  attemptToDelete: string[];
  attemptToOrphan: string[];
}

export const describe = (n: GraphNode): string => `${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name} (${n.uid})`;

function nodeOf(ref: ResourceRef, obj: KObject): GraphNode {
  const m = obj.metadata;
  const finalizers = m.finalizers ?? [];
  const beingDeleted = !!m.deletionTimestamp;
  return {
    uid: m.uid!,
    ref,
    apiVersion: obj.apiVersion ?? (ref.group ? `${ref.group}/${ref.version}` : ref.version),
    kind: obj.kind ?? ref.kind,
    namespace: m.namespace || undefined,
    name: m.name!,
    owners: structuredClone(m.ownerReferences ?? []),
    beingDeleted,
    deletingDependents: beingDeleted && finalizers.includes(foregroundFinalizer),
    orphaningDependents: beingDeleted && finalizers.includes(orphanFinalizer),
  };
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** Whether an observed owner is the object a dependent's reference resolves to (same name, group/kind, and scope). */
function matches(owner: GraphNode, ref: OwnerReference, dependent: GraphNode): boolean {
  if (owner.name !== ref.name || owner.kind !== ref.kind || groupOf(owner.apiVersion) !== groupOf(ref.apiVersion)) return false;
  return !owner.namespace || owner.namespace === dependent.namespace;
}

export class DependencyGraph {
  readonly #nodes = new Map<string, GraphNode>();
  /** Owner uid → uids of observed objects that reference it, whether or not the owner itself has been observed. */
  readonly #dependents = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.#nodes.get(uid);
  }

  get size(): number {
    return this.#nodes.size;
  }

  dependents(uid: string): GraphNode[] {
    return [...(this.#dependents.get(uid) ?? [])].map((d) => this.#nodes.get(d)).filter((d): d is GraphNode => !!d);
  }

  /** Dependents whose reference to `uid` has blockOwnerDeletion: a Foreground deletion waits for these. */
  blockingDependents(uid: string): GraphNode[] {
    return this.dependents(uid).filter((d) => d.owners.some((o) => o.uid === uid && o.blockOwnerDeletion === true));
  }

  #link(owner: string, dependent: string): void {
    let s = this.#dependents.get(owner);
    if (!s) {
      s = new Set();
      this.#dependents.set(owner, s);
    }
    s.add(dependent);
  }

  #unlink(owner: string, dependent: string): void {
    const s = this.#dependents.get(owner);
    if (!s) return;
    s.delete(dependent);
    if (!s.size) this.#dependents.delete(owner);
  }

  /** Records an added or updated object. */
  upsert(ref: ResourceRef, obj: KObject): GraphWork {
    const work: GraphWork = { attemptToDelete: [], attemptToOrphan: [] };
    if (!obj.metadata.uid || !obj.metadata.name) return work;
    const node = nodeOf(ref, obj);
    const old = this.#nodes.get(node.uid);
    this.#nodes.set(node.uid, node);

    const oldOwners = new Map((old?.owners ?? []).map((o) => [o.uid, o]));
    const newOwners = new Map(node.owners.map((o) => [o.uid, o]));
    let checkSelf = false;
    for (const [uid, ref] of newOwners) {
      this.#link(uid, node.uid);
      if (oldOwners.has(uid)) continue;
      // A new reference to an owner never observed (maybe already gone), to one that does not match it (another
      // name, kind or namespace: the reference really points at nothing), or to one deleting its dependents.
      const owner = this.#nodes.get(uid);
      if (!owner || !matches(owner, ref, node) || owner.deletingDependents) checkSelf = true;
    }
    for (const [uid, o] of oldOwners) {
      const now = newOwners.get(uid);
      if (!now) this.#unlink(uid, node.uid);
      // The owner may have been waiting for this dependent: removed or unblocked references let it go.
      const unblocked = o.blockOwnerDeletion === true && now?.blockOwnerDeletion !== true;
      if (unblocked && this.#nodes.get(uid)?.deletingDependents) work.attemptToDelete.push(uid);
    }
    if (checkSelf) work.attemptToDelete.push(node.uid);

    if (node.orphaningDependents && !old?.orphaningDependents) work.attemptToOrphan.push(node.uid);
    if (node.deletingDependents && !old?.deletingDependents) {
      for (const d of this.#dependents.get(node.uid) ?? []) work.attemptToDelete.push(d);
      work.attemptToDelete.push(node.uid);
    }
    return work;
  }

  /** Records a deleted object: its dependents may now be garbage, its waiting owners may now be done. */
  remove(obj: KObject): GraphWork {
    const work: GraphWork = { attemptToDelete: [], attemptToOrphan: [] };
    const uid = obj.metadata.uid;
    if (!uid) return work;
    const node = this.#nodes.get(uid);
    this.#nodes.delete(uid);
    for (const o of node?.owners ?? obj.metadata.ownerReferences ?? []) {
      this.#unlink(o.uid, uid);
      if (this.#nodes.get(o.uid)?.deletingDependents) work.attemptToDelete.push(o.uid);
    }
    for (const d of this.#dependents.get(uid) ?? []) work.attemptToDelete.push(d);
    return work;
  }
}
