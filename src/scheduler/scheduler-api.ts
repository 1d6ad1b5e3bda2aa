// The scheduler's writes to the cluster (bind, pod status, preemption, events) and its watches, over the typed client.
import type { KObject } from '../apiserver/registry/kobject.ts';
import type { KubeClient, ResourceRef } from '../client/client.ts';
import { Informer, type InformerHandlers } from '../client/informer.ts';
import type { EventWriter } from './event-recorder.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const podsRef: ResourceRef = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
export const nodesRef: ResourceRef = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
export const namespacesRef: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };
const eventsRef: ResourceRef = { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };

/** Everything the scheduler writes; a narrow interface so tests can apply writes to an in-memory cluster. */
export interface SchedulerApi extends EventWriter {
  /** POST pods/binding with the pod's uid as precondition (DefaultBinder). */
  bind(pod: KObject, nodeName: string): Promise<void>;
  /** A strategic merge patch of the pod's status (util.PatchPodStatus). */
  patchPodStatus(pod: KObject, status: Json): Promise<void>;
  /** A preemption victim's deletion (util.DeletePod). */
  deletePod(pod: KObject): Promise<void>;
}

/** The part of an informer the scheduler reads. */
export interface WatchedResource {
  on(h: InformerHandlers): void;
  get(key: string): KObject | undefined;
  list(): KObject[];
}

export function clientSchedulerApi(client: KubeClient): SchedulerApi {
  return {
    async bind(pod, nodeName) {
      const ns = pod.metadata.namespace!;
      const name = pod.metadata.name!;
      await client.request('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/binding`, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { namespace: ns, name, uid: pod.metadata.uid },
        target: { kind: 'Node', name: nodeName },
      });
    },
    async patchPodStatus(pod, status) {
      await client.patch(podsRef, pod.metadata.namespace, pod.metadata.name!, { status }, 'strategic', 'status');
    },
    async deletePod(pod) {
      await client.delete(podsRef, pod.metadata.namespace, pod.metadata.name!);
    },
    create: (namespace, event) => client.create(eventsRef, namespace, event),
    patch: (namespace, name, patch) => client.patch(eventsRef, namespace, name, patch, 'merge'),
  };
}

/** The scheduler's own informers (it is a separate component, like kube-scheduler, not part of the controller manager). */
export function clientInformers(client: KubeClient): { pods: Informer; nodes: Informer; namespaces: Informer } {
  return { pods: new Informer(client, podsRef), nodes: new Informer(client, nodesRef), namespaces: new Informer(client, namespacesRef) };
}
