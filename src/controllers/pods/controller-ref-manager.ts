// Claiming objects for a controller by selector: adopt matching orphans, release owned ones that no longer match (ControllerRefManager).
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import type { Selector } from '../../machinery/labels.ts';
import { isNotFound } from '../api-errors.ts';
import type { ControllerClient } from '../controller.ts';
import { controllerOf } from './pod-state.ts';
import { controllerRef } from './pod-control.ts';

export interface ClaimOptions {
  client: ControllerClient;
  ref: ResourceRef;
  owner: KObject;
  selector: Selector;
  /**
   * Checked once before the first adoption: a fresh read of the owner that must not be terminating
   * (RecheckDeletionTimestamp), so a controller being deleted does not adopt new children.
   */
  canAdopt: () => Promise<void>;
}

/** Returns the objects `owner` controls after adopting and releasing; the first failure is thrown after trying all. */
export async function claimObjects(objects: KObject[], o: ClaimOptions): Promise<KObject[]> {
  const claimed: KObject[] = [];
  const errors: unknown[] = [];
  const uid = o.owner.metadata.uid;
  let adoptable: Promise<void> | undefined;
  for (const obj of objects) {
    const matches = o.selector.matches(obj.metadata.labels);
    const ref = controllerOf(obj);
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches) {
        claimed.push(obj);
        continue;
      }
      if (o.owner.metadata.deletionTimestamp) continue;
      try {
        await o.client.patch(o.ref, obj.metadata.namespace, obj.metadata.name!, releasePatch(obj, uid!), 'strategic');
      } catch (e) {
        if (!isNotFound(e)) errors.push(e);
      }
      continue;
    }
    if (!matches || o.owner.metadata.deletionTimestamp || obj.metadata.deletionTimestamp) continue;
    if (o.owner.metadata.namespace && o.owner.metadata.namespace !== obj.metadata.namespace) continue;
    try {
      adoptable ??= o.canAdopt();
      await adoptable;
      const adopted = await o.client.patch(o.ref, obj.metadata.namespace, obj.metadata.name!, adoptPatch(obj, o.owner), 'strategic');
      claimed.push(adopted);
    } catch (e) {
      if (!isNotFound(e)) errors.push(e);
    }
  }
  if (errors.length) throw errors[0];
  return claimed;
}

/** The strategic merge patch that adds the controller reference (the uid guards against a re-created object). */
export function adoptPatch(obj: KObject, owner: KObject): unknown {
  return { metadata: { ownerReferences: [controllerRef(owner)], uid: obj.metadata.uid } };
}

export function releasePatch(obj: KObject, ownerUid: string): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: obj.metadata.uid } };
}

/** canAdopt for a namespaced owner: a fresh GET that must find the same uid, not terminating. */
export function recheckDeletion(client: ControllerClient, ref: ResourceRef, owner: KObject): () => Promise<void> {
  return async () => {
    const fresh = await client.get(ref, owner.metadata.namespace, owner.metadata.name!);
    if (fresh.metadata.uid !== owner.metadata.uid) {
      throw new Error(`original ${owner.kind} ${owner.metadata.namespace}/${owner.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`);
    }
    if (fresh.metadata.deletionTimestamp) {
      throw new Error(`${owner.metadata.namespace}/${owner.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  };
}
