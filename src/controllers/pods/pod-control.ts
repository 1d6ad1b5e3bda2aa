// Creating and deleting a controller's pods with upstream's events (RealPodControl), and slow-start batching of creates.
import type { KObject, OwnerReference } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import { isNamespaceTerminating, isNotFound } from '../api-errors.ts';
import type { ControllerClient } from '../controller.ts';
import { errorMessage } from '../controller.ts';
import type { EventSink } from '../event-recorder.ts';

export const podsRef: ResourceRef = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

/** Upstream's SlowStartInitialBatchSize. */
export const slowStartInitialBatchSize = 1;

/** A controller reference for `owner` (metav1.NewControllerRef). */
export function controllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * The pod a controller creates from its template (GetPodFromTemplate): the template's labels, annotations and
 * finalizers, generateName `<owner>-`, the controller reference, the template's spec.
 */
export function podFromTemplate(template: KObject, owner: KObject, ref: OwnerReference | undefined): KObject {
  const meta = template.metadata ?? {};
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers?.length ? { finalizers: [...meta.finalizers] } : {}),
      ...(ref ? { ownerReferences: [ref] } : {}),
    },
    spec: structuredClone(template.spec ?? {}),
  };
  return pod;
}

export class PodControl {
  readonly #client: ControllerClient;
  readonly #events: EventSink;

  constructor(client: ControllerClient, events: EventSink) {
    this.#client = client;
    this.#events = events;
  }

  /** Creates one pod for `owner`; events SuccessfulCreate / FailedCreate as upstream words them. */
  async createPod(namespace: string, pod: KObject, owner: KObject): Promise<KObject> {
    if (!pod.metadata.labels || !Object.keys(pod.metadata.labels).length) throw new Error('unable to create pods, no labels');
    try {
      const created = await this.#client.create(podsRef, namespace, pod);
      this.#events.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      return created;
    } catch (e) {
      if (!isNamespaceTerminating(e)) this.#events.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
      throw e;
    }
  }

  /** Deletes a pod of `owner`; NotFound is passed on without an event, other failures get FailedDelete. */
  async deletePod(namespace: string, name: string, owner: KObject, options: Record<string, unknown> = {}): Promise<void> {
    try {
      await this.#client.delete(podsRef, namespace, name, options);
    } catch (e) {
      if (isNotFound(e)) throw e;
      this.#events.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
      throw new Error(`unable to delete pods: ${errorMessage(e)}`, { cause: e });
    }
    this.#events.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }
}

/**
 * Calls `fn` `count` times in batches of 1, 2, 4, … run concurrently; stops after the first batch with a failure.
 * Returns how many calls succeeded and the first error.
 */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += size - failed.length;
    if (failed.length) return { successes, error: failed[0]!.reason };
    remaining -= size;
  }
  return { successes };
}
