// Keeps the API's view of each pod's status in step with the kubelet's: patches pods/status when it changes, deletes finished pods.
import { isDeepStrictEqual } from 'node:util';
import { ApiError, type KubeClient, type ResourceRef } from '../../client/client.ts';
import type { Logger } from '../../server/logger.ts';
import type { Pod, PodStatus } from '../pod-worker-types.ts';

export const podsRef: ResourceRef = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

export type StatusClient = Pick<KubeClient, 'patch' | 'delete'>;

interface Entry {
  pod: Pod;
  status: PodStatus;
  /** What the API has, as far as we know. */
  sent: PodStatus | undefined;
  running: Promise<void> | undefined;
  dirty: boolean;
}

const retryMs = 1000;

type Condition = NonNullable<PodStatus['conditions']>[number];

/**
 * Conditions for a strategic merge patch, which merges them by type: a field a condition no longer has is sent as
 * null (as a two-way diff would), so a Ready that turns True again does not keep the False one's reason.
 */
function conditionsPatch(conditions: Condition[], sent: Condition[] | undefined): Record<string, unknown>[] {
  return conditions.map((c) => {
    const out: Record<string, unknown> = { ...c };
    const before = sent?.find((s) => s.type === c.type) ?? {};
    for (const k of new Set(['reason', 'message', ...Object.keys(before)])) if (!(k in c)) out[k] = null;
    return out;
  });
}

export class StatusManager {
  readonly #client: StatusClient;
  readonly #log: Logger;
  readonly #entries = new Map<string, Entry>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(client: StatusClient, log: Logger) {
    this.#client = client;
    this.#log = log;
  }

  /** The last status the kubelet generated for the pod, if any. */
  get(uid: string): PodStatus | undefined {
    return this.#entries.get(uid)?.status;
  }

  /** Records the pod's new status and patches the API if it differs from what the API has. */
  set(pod: Pod, status: PodStatus): void {
    let e = this.#entries.get(pod.metadata.uid);
    if (!e) {
      e = { pod, status, sent: pod.status, running: undefined, dirty: false };
      this.#entries.set(pod.metadata.uid, e);
    }
    e.pod = pod;
    e.status = status;
    if (isDeepStrictEqual(e.sent, status)) return;
    e.dirty = true;
    this.#kick(e);
  }

  /** The API's status changed under us (another writer): forget what we believed it held. */
  observe(pod: Pod): void {
    const e = this.#entries.get(pod.metadata.uid);
    if (!e || e.running) return;
    e.pod = pod;
    e.sent = pod.status;
    if (!isDeepStrictEqual(e.sent, e.status)) {
      e.dirty = true;
      this.#kick(e);
    }
  }

  forget(uid: string): void {
    this.#entries.delete(uid);
  }

  /** Waits until every pending patch was attempted. */
  async flush(): Promise<void> {
    for (;;) {
      const running = [...this.#entries.values()].map((e) => e.running).filter((p): p is Promise<void> => !!p);
      if (!running.length) return;
      await Promise.all(running);
    }
  }

  /** Deletes the pod object once its containers are gone (grace 0, guarded by its uid), as the kubelet's status manager does. */
  async deletePod(pod: Pod): Promise<void> {
    await this.flush();
    try {
      await this.#client.delete(podsRef, pod.metadata.namespace, pod.metadata.name, {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
      });
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 409))) throw e;
    }
    this.forget(pod.metadata.uid);
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #kick(e: Entry): void {
    if (e.running || this.#stopped) return;
    e.running = this.#sync(e).finally(() => {
      e.running = undefined;
      if (e.dirty && this.#entries.get(e.pod.metadata.uid) === e) this.#kick(e);
    });
  }

  async #sync(e: Entry): Promise<void> {
    e.dirty = false;
    const status = e.status;
    const patch: Record<string, unknown> = { ...status };
    for (const k of Object.keys(e.sent ?? {})) if (!(k in status)) patch[k] = null;
    if (status.conditions) patch.conditions = conditionsPatch(status.conditions, e.sent?.conditions);
    try {
      // Strategic, as the kubelet's: conditions merge by type, so one another writer added meanwhile (the eviction
      // API's DisruptionTarget) survives a status computed before the agent saw it.
      await this.#client.patch(podsRef, e.pod.metadata.namespace, e.pod.metadata.name, { status: patch }, 'strategic', 'status');
      e.sent = status;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        this.#entries.delete(e.pod.metadata.uid);
        return;
      }
      this.#log.debug('pod status patch failed', { pod: `${e.pod.metadata.namespace}/${e.pod.metadata.name}`, error: String(err) });
      if (this.#stopped) return;
      const t = setTimeout(() => {
        this.#timers.delete(t);
        e.dirty = true;
        this.#kick(e);
      }, retryMs);
      this.#timers.add(t);
    }
  }
}
