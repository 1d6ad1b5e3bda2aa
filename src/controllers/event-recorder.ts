// Records core/v1 Events about objects as client-go's record.EventRecorder does: named <object>.<hex nanos>, repeats counted.
import type { KObject } from '../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../client/client.ts';
import type { Logger } from '../server/logger.ts';
import { errorMessage, type ControllerClient } from './controller.ts';

export const eventsRef: ResourceRef = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };

export type EventType = 'Normal' | 'Warning';

/** The part of a recorder controllers use, so tests can pass a fake that only collects. */
export interface EventSink {
  event(obj: KObject, type: EventType, reason: string, message: string): void;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  at: number;
}

/** client-go's correlator forgets a repeat after ten minutes and starts a new Event. */
const repeatWindowMs = 10 * 60_000;
const maxRemembered = 4096;

export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

export class EventRecorder implements EventSink {
  readonly #client: ControllerClient;
  readonly #component: string;
  readonly #log: Logger;
  readonly #now: () => Date;
  readonly #seen = new Map<string, Seen>();
  #chain: Promise<void> = Promise.resolve();

  constructor(client: ControllerClient, component: string, log: Logger, now: () => Date = () => new Date()) {
    this.#client = client;
    this.#component = component;
    this.#log = log;
    this.#now = now;
  }

  /** Queues the Event and returns at once; writes happen in order, failures are logged (events are best effort). */
  event(obj: KObject, type: EventType, reason: string, message: string): void {
    const involved = {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
    };
    this.#chain = this.#chain.then(() => this.#write(involved, type, reason, message)).catch((e) => {
      this.#log.error('event not recorded', { reason, object: `${involved.namespace}/${involved.name}`, error: errorMessage(e) });
    });
  }

  /** Resolves once every queued Event was written (or failed). */
  flush(): Promise<void> {
    return this.#chain;
  }

  async #write(involved: Record<string, unknown>, type: EventType, reason: string, message: string): Promise<void> {
    const now = this.#now();
    const ts = rfc3339(now);
    const namespace = (involved.namespace as string | undefined) || 'default';
    const key = JSON.stringify([this.#component, involved.kind, namespace, involved.name, involved.uid, involved.apiVersion, type, reason, message]);
    const prior = this.#seen.get(key);
    if (prior && now.getTime() - prior.at < repeatWindowMs) {
      prior.count++;
      prior.at = now.getTime();
      try {
        await this.#client.patch(eventsRef, prior.namespace, prior.name, { count: prior.count, lastTimestamp: ts }, 'merge');
        return;
      } catch {
        // The Event is gone (expired or deleted): record a fresh one.
      }
    }
    const name = `${involved.name}.${nanosHex(now)}`;
    await this.#client.create(eventsRef, namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      reason,
      message,
      source: { component: this.#component },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.#component,
      reportingInstance: '',
    });
    if (this.#seen.size >= maxRemembered) this.#seen.delete(this.#seen.keys().next().value!);
    this.#seen.set(key, { name, namespace, count: 1, firstTimestamp: ts, at: now.getTime() });
  }
}

let lastNanos = 0n;
/** time.UnixNano() in hex, strictly increasing within the process so two Events never share a name. */
function nanosHex(d: Date): string {
  let n = BigInt(d.getTime()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  if (n <= lastNanos) n = lastNanos + 1n;
  lastNanos = n;
  return n.toString(16);
}
