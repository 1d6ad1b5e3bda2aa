// The garbage collector's writes: guarded deletes, owner-reference edits and finalizer removal, each retried on conflicts.
import type { KObject, OwnerReference } from '../../apiserver/registry/kobject.ts';
import { isConflict, isNotFound } from '../api-errors.ts';
import type { ControllerClient } from '../controller.ts';
import type { GraphNode } from './graph.ts';

const maxConflictRetries = 5;

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export class GCOperations {
  readonly #client: ControllerClient;

  constructor(client: ControllerClient) {
    this.#client = client;
  }

  /** The live object, or undefined when it is gone or a different object (uid) now has its name. */
  async getLive(n: GraphNode): Promise<KObject | undefined> {
    try {
      const o = await this.#client.get(n.ref, n.namespace, n.name);
      return o.metadata.uid === n.uid ? o : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Deletes the object if it is still the one seen at `latest` (uid and resourceVersion preconditions). When only
   * the resourceVersion moved on and the owner references are unchanged, the decision still holds: retry on uid alone.
   */
  async deleteObject(n: GraphNode, latest: KObject, policy: PropagationPolicy): Promise<void> {
    const options = (rv?: string) => ({ propagationPolicy: policy, preconditions: { uid: n.uid, ...(rv ? { resourceVersion: rv } : {}) } });
    try {
      await this.#client.delete(n.ref, n.namespace, n.name, options(latest.metadata.resourceVersion));
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e) || !latest.metadata.resourceVersion) throw e;
      const live = await this.getLive(n);
      if (!live) return;
      const sameOwners = JSON.stringify(live.metadata.ownerReferences ?? []) === JSON.stringify(latest.metadata.ownerReferences ?? []);
      if (live.metadata.resourceVersion === latest.metadata.resourceVersion || !sameOwners) throw e;
      try {
        await this.#client.delete(n.ref, n.namespace, n.name, options());
      } catch (e2) {
        if (!isNotFound(e2)) throw e2;
      }
    }
  }

  /** Applies `edit` to the live object's ownerReferences; a no-op when the object is gone or nothing changes. */
  async editOwnerReferences(n: GraphNode, edit: (refs: OwnerReference[]) => OwnerReference[]): Promise<void> {
    await this.#retry(n, (live) => {
      const before = live.metadata.ownerReferences ?? [];
      const after = edit(structuredClone(before));
      if (JSON.stringify(after) === JSON.stringify(before)) return undefined;
      return { metadata: { resourceVersion: live.metadata.resourceVersion, ownerReferences: after.length ? after : null } };
    });
  }

  /** Removes one finalizer from the live object; once none remain the API server completes its deletion. */
  async removeFinalizer(n: GraphNode, finalizer: string): Promise<void> {
    await this.#retry(n, (live) => {
      const before = live.metadata.finalizers ?? [];
      if (!before.includes(finalizer)) return undefined;
      const after = before.filter((f) => f !== finalizer);
      return { metadata: { resourceVersion: live.metadata.resourceVersion, finalizers: after.length ? after : null } };
    });
  }

  /** Reads the live object and merge-patches it with what `build` returns, pinned to the resourceVersion read. */
  async #retry(n: GraphNode, build: (live: KObject) => unknown): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const live = await this.getLive(n);
      if (!live) return;
      const patch = build(live);
      if (patch === undefined) return;
      try {
        await this.#client.patch(n.ref, n.namespace, n.name, patch, 'merge');
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt >= maxConflictRetries) throw e;
      }
    }
  }
}
