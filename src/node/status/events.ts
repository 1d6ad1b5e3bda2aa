// Records the kubelet's events about pods and their containers, counting repeats on one Event as client-go's correlator does.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { KubeClient, ResourceRef } from '../../client/client.ts';
import type { Logger } from '../../server/logger.ts';
import type { Pod } from '../pod-worker-types.ts';
import { apiTime } from './pod-status.ts';

export const eventsRef: ResourceRef = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };

export type EventClient = Pick<KubeClient, 'create' | 'patch'>;

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  pending: Promise<void>;
}

/** The part of a pod an event is about: the pod, or one of its containers. */
export interface EventTarget {
  pod: Pod;
  container?: { name: string; init?: boolean };
}

export class EventRecorder {
  readonly #client: EventClient;
  readonly #node: string;
  readonly #log: Logger;
  readonly #seen = new Map<string, Seen>();
  readonly #inflight = new Set<Promise<void>>();

  constructor(client: EventClient, nodeName: string, log: Logger) {
    this.#client = client;
    this.#node = nodeName;
    this.#log = log;
  }

  /** Records an event; never throws and never blocks the caller. */
  event(target: EventTarget, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const { pod, container } = target;
    const involvedObject: Record<string, string> = {
      kind: 'Pod',
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      apiVersion: 'v1',
    };
    if (pod.metadata.resourceVersion) involvedObject.resourceVersion = pod.metadata.resourceVersion;
    if (container) involvedObject.fieldPath = `spec.${container.init ? 'initContainers' : 'containers'}{${container.name}}`;
    const key = JSON.stringify([involvedObject.namespace, involvedObject.name, involvedObject.uid, involvedObject.fieldPath ?? '', type, reason, message]);
    const now = apiTime(new Date())!;
    const prev = this.#seen.get(key);
    let p: Promise<void>;
    if (prev) {
      prev.count++;
      const count = prev.count;
      p = prev.pending.then(() =>
        this.#client
          .patch(eventsRef, prev.namespace, prev.name, { count, lastTimestamp: now }, 'merge')
          .then(() => undefined)
          .catch((e) => this.#log.debug('event patch failed', { event: prev.name, error: String(e) })),
      );
      prev.pending = p;
    } else {
      const name = `${pod.metadata.name}.${(BigInt(Date.now()) * 1000000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`;
      const ev: KObject = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: pod.metadata.namespace },
        involvedObject,
        reason,
        message,
        source: { component: 'kubelet', host: this.#node },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: 'kubelet',
        reportingInstance: this.#node,
      };
      p = this.#client
        .create(eventsRef, pod.metadata.namespace, ev)
        .then(() => undefined)
        .catch((e) => {
          this.#seen.delete(key);
          this.#log.debug('event create failed', { reason, error: String(e) });
        });
      this.#seen.set(key, { name, namespace: pod.metadata.namespace, count: 1, firstTimestamp: now, pending: p });
      if (this.#seen.size > 4096) this.#seen.delete(this.#seen.keys().next().value!);
    }
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p));
  }

  /** Waits for the events recorded so far to reach the API (for orderly shutdown and tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.#inflight]);
  }
}
