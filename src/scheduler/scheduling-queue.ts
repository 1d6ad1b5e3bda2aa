// The scheduling queue: pods waiting to be scheduled, ordered by priority then age (activeQ), pods backing off after
// a failure (1 s doubling to 10 s), and unschedulable pods that wait for a cluster event that may help them (or 5 min).
import type { KObject } from '../apiserver/registry/kobject.ts';
import type { ClusterEvent } from './framework.ts';
import { podKey } from './node-info.ts';
import { podPriority } from './schedule-pod.ts';

export interface QueuedPod {
  key: string;
  pod: KObject;
  /** When the pod last entered the queue: the tie-breaker after priority. */
  timestamp: number;
  /** Scheduling attempts so far; the back-off doubles with each. */
  attempts: number;
  /** The plugins that rejected the pod in its last attempt; empty after an error. */
  unschedulablePlugins: Set<string>;
}

export interface SchedulingQueueOptions {
  /** Which cluster events each plugin registered (EventsToRegister). */
  pluginEvents: Map<string, readonly ClusterEvent[]>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** podMaxInUnschedulablePodsDuration. */
  maxUnschedulableMs?: number;
  now?: () => number;
}

/** What a pod update changes that matters for scheduling: its labels, annotations and spec, not its status. */
const schedulingView = (p: KObject) => JSON.stringify([p.metadata.labels ?? {}, p.metadata.annotations ?? {}, p.spec ?? {}]);

export class SchedulingQueue {
  readonly #o: Required<Omit<SchedulingQueueOptions, 'now'>> & { now: () => number };
  readonly #active: QueuedPod[] = [];
  readonly #backoff = new Map<string, { qp: QueuedPod; until: number }>();
  readonly #unschedulable = new Map<string, { qp: QueuedPod; since: number }>();
  /** Pods being scheduled right now, with the events seen meanwhile. */
  readonly #inFlight = new Map<string, { qp: QueuedPod; events: ClusterEvent[] }>();
  #waiters: (() => void)[] = [];
  #backoffTimer: NodeJS.Timeout | undefined;
  #leftoverTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: SchedulingQueueOptions) {
    this.#o = {
      pluginEvents: options.pluginEvents,
      initialBackoffMs: options.initialBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
      maxUnschedulableMs: options.maxUnschedulableMs ?? 5 * 60_000,
      now: options.now ?? Date.now,
    };
    this.#leftoverTimer = setInterval(() => this.#flushLeftover(), 30_000);
    this.#leftoverTimer.unref();
  }

  /** Sizes of activeQ, backoffQ and unschedulablePods, for tests and logs. */
  get sizes(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.#active.length, backoff: this.#backoff.size, unschedulable: this.#unschedulable.size };
  }

  has(key: string): boolean {
    return this.#active.some((q) => q.key === key) || this.#backoff.has(key) || this.#unschedulable.has(key) || this.#inFlight.has(key);
  }

  /** A new pending pod (or one the queue already has: its object is refreshed). */
  add(pod: KObject): void {
    const key = podKey(pod);
    if (this.#refresh(key, pod)) return;
    this.#pushActive({ key, pod, timestamp: this.#o.now(), attempts: 0, unschedulablePlugins: new Set() });
  }

  /** A pending pod changed: keep the newest object, and give an unschedulable pod another chance if its spec changed. */
  update(old: KObject, pod: KObject): void {
    const key = podKey(pod);
    const u = this.#unschedulable.get(key);
    if (u && schedulingView(old) !== schedulingView(pod)) {
      this.#unschedulable.delete(key);
      u.qp.pod = pod;
      this.#requeue(u.qp);
      return;
    }
    if (!this.#refresh(key, pod)) this.add(pod);
  }

  delete(pod: KObject): void {
    const key = podKey(pod);
    const i = this.#active.findIndex((q) => q.key === key);
    if (i >= 0) this.#active.splice(i, 1);
    this.#backoff.delete(key);
    this.#unschedulable.delete(key);
  }

  #refresh(key: string, pod: KObject): boolean {
    const a = this.#active.find((q) => q.key === key);
    const found = a ?? this.#backoff.get(key)?.qp ?? this.#unschedulable.get(key)?.qp ?? this.#inFlight.get(key)?.qp;
    if (found) found.pod = pod;
    return found !== undefined;
  }

  /** Waits for the next pod to schedule; undefined once closed. */
  async pop(): Promise<QueuedPod | undefined> {
    while (!this.#active.length) {
      if (this.#closed) return undefined;
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    const qp = this.#active.shift()!;
    qp.attempts++;
    this.#inFlight.set(qp.key, { qp, events: [] });
    return qp;
  }

  /** The attempt ended with the pod bound, gone, or not ours any more. */
  done(key: string): void {
    this.#inFlight.delete(key);
  }

  /**
   * AddUnschedulableIfNotPresent: after an error, or when an event during the attempt may have helped, the pod backs
   * off; otherwise it waits among the unschedulable pods for a relevant event.
   */
  requeueFailed(qp: QueuedPod, rejectedBy: Set<string>): void {
    const flight = this.#inFlight.get(qp.key);
    this.#inFlight.delete(qp.key);
    if (this.#closed) return;
    qp.unschedulablePlugins = rejectedBy;
    qp.timestamp = this.#o.now();
    const helped = flight?.events.some((e) => this.#mayHelp(qp, e)) ?? false;
    if (rejectedBy.size === 0 || helped) this.#toBackoff(qp);
    else this.#unschedulable.set(qp.key, { qp, since: qp.timestamp });
  }

  /** MoveAllToActiveOrBackoffQueue for pods that one of their rejecting plugins registered this event for. */
  onEvent(event: ClusterEvent): void {
    for (const f of this.#inFlight.values()) f.events.push(event);
    for (const [key, u] of this.#unschedulable) {
      if (!this.#mayHelp(u.qp, event)) continue;
      this.#unschedulable.delete(key);
      this.#requeue(u.qp);
    }
  }

  #mayHelp(qp: QueuedPod, event: ClusterEvent): boolean {
    if (qp.unschedulablePlugins.size === 0) return true;
    for (const pl of qp.unschedulablePlugins) if (this.#o.pluginEvents.get(pl)?.includes(event)) return true;
    return false;
  }

  /** calculateBackoffDuration: initial × 2^(attempts−1), at most the maximum. */
  backoffMs(attempts: number): number {
    let d = this.#o.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      d *= 2;
      if (d >= this.#o.maxBackoffMs) return this.#o.maxBackoffMs;
    }
    return Math.min(d, this.#o.maxBackoffMs);
  }

  #requeue(qp: QueuedPod): void {
    if (this.#o.now() < qp.timestamp + this.backoffMs(qp.attempts)) this.#toBackoff(qp);
    else this.#pushActive(qp);
  }

  #toBackoff(qp: QueuedPod): void {
    this.#backoff.set(qp.key, { qp, until: qp.timestamp + this.backoffMs(qp.attempts) });
    this.#armBackoff();
  }

  #armBackoff(): void {
    clearTimeout(this.#backoffTimer);
    if (!this.#backoff.size || this.#closed) return;
    const next = Math.min(...[...this.#backoff.values()].map((b) => b.until));
    this.#backoffTimer = setTimeout(() => this.#flushBackoff(), Math.max(0, next - this.#o.now()));
    this.#backoffTimer.unref();
  }

  #flushBackoff(): void {
    const now = this.#o.now();
    for (const [key, b] of this.#backoff) {
      if (b.until > now) continue;
      this.#backoff.delete(key);
      this.#pushActive(b.qp);
    }
    this.#armBackoff();
  }

  #flushLeftover(): void {
    const now = this.#o.now();
    for (const [key, u] of this.#unschedulable) {
      if (now - u.since < this.#o.maxUnschedulableMs) continue;
      this.#unschedulable.delete(key);
      this.#requeue(u.qp);
    }
  }

  /** Runs the periodic flushes now (tests drive time through `now`). */
  flush(): void {
    this.#flushBackoff();
    this.#flushLeftover();
  }

  #pushActive(qp: QueuedPod): void {
    if (this.#closed) return;
    const before = (a: QueuedPod, b: QueuedPod) => podPriority(a.pod) > podPriority(b.pod) || (podPriority(a.pod) === podPriority(b.pod) && a.timestamp < b.timestamp);
    let i = this.#active.length;
    while (i > 0 && before(qp, this.#active[i - 1]!)) i--;
    this.#active.splice(i, 0, qp);
    this.#waiters.shift()?.();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#backoffTimer);
    clearInterval(this.#leftoverTimer);
    for (const w of this.#waiters) w();
    this.#waiters = [];
  }
}
