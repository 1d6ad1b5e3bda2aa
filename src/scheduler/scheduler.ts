// The scheduler: watches pending pods of schedulerName default-scheduler, filters the nodes for each (preempting
// lower-priority pods when that helps), binds through pods/binding, and reports failures as upstream does
// (FailedScheduling events, PodScheduled=False) while the queue retries with back-off and on cluster events.
import type { KObject } from '../apiserver/registry/kobject.ts';
import { objectKey } from '../client/informer.ts';
import { updatePodCondition } from '../machinery/pod-condition.ts';
import type { Logger } from '../server/logger.ts';
import { EventSeriesRecorder } from './event-recorder.ts';
import type { ClusterEvent, FilterPlugin } from './framework.ts';
import { NodeInfo, podKey } from './node-info.ts';
import { podRequests } from './pod-resources.ts';
import { defaultFilterPlugins } from './plugins/default-plugins.ts';
import { preempt } from './preemption.ts';
import { findFeasibleNodes, FitError, noNodesAvailable, type ScheduleInput } from './schedule-pod.ts';
import { SchedulingQueue, type QueuedPod } from './scheduling-queue.ts';
import type { SchedulerApi, WatchedResource } from './scheduler-api.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const defaultSchedulerName = 'default-scheduler';

export interface SchedulerOptions {
  api: SchedulerApi;
  pods: WatchedResource;
  nodes: WatchedResource;
  namespaces: WatchedResource;
  /** Lists and opens the watches; resolves once the caches are filled. */
  startInformers?: () => Promise<void>;
  stopInformers?: () => void;
  log: Logger;
  /** The events' reportingInstance: `default-scheduler-<hostname>` upstream. */
  reportingInstance: string;
  schedulerName?: string;
  plugins?: readonly FilterPlugin[];
  /** Tests shorten the back-off and drive the clock. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  now?: () => Date;
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const isTerminal = (p: KObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const assigned = (p: KObject) => typeof p.spec?.nodeName === 'string' && p.spec.nodeName !== '';
const gated = (p: KObject) => Array.isArray(p.spec?.schedulingGates) && p.spec.schedulingGates.length > 0;

export class Scheduler {
  readonly name = 'scheduler';
  readonly #o: SchedulerOptions;
  readonly #plugins: readonly FilterPlugin[];
  readonly #queue: SchedulingQueue;
  readonly #events: EventSeriesRecorder;
  readonly #now: () => Date;
  /** Pods bound (or being bound) by this scheduler that the pod informer does not show on their node yet. */
  readonly #assumed = new Map<string, KObject>();
  /** Binding cycles still running. */
  readonly #binding = new Set<Promise<void>>();
  #loop: Promise<void> | undefined;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#plugins = options.plugins ?? defaultFilterPlugins;
    this.#now = options.now ?? (() => new Date());
    this.#queue = new SchedulingQueue({
      pluginEvents: new Map(this.#plugins.map((p) => [p.name, p.events])),
      initialBackoffMs: options.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
      now: () => this.#now().getTime(),
    });
    this.#events = new EventSeriesRecorder(options.api, { controller: options.schedulerName ?? defaultSchedulerName, instance: options.reportingInstance }, options.log, this.#now);
    this.#handlers();
  }

  get queue(): SchedulingQueue {
    return this.#queue;
  }

  async start(): Promise<void> {
    await this.#o.startInformers?.();
    for (const p of this.#o.pods.list()) if (this.#responsible(p)) this.#queue.add(p);
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#queue.close();
    await this.#loop;
    await Promise.all(this.#binding);
    await this.#events.flush();
    this.#events.close();
    this.#o.stopInformers?.();
  }

  /** Resolves once queued event writes are done (tests). */
  flushEvents(): Promise<void> {
    return this.#events.flush();
  }

  #responsible(p: KObject): boolean {
    return !assigned(p) && !p.metadata.deletionTimestamp && !gated(p) && (p.spec?.schedulerName ?? defaultSchedulerName) === (this.#o.schedulerName ?? defaultSchedulerName);
  }

  /** The informer handlers only feed the queue and say which cluster events happened. */
  #handlers(): void {
    const q = this.#queue;
    this.#o.pods.on({
      add: (p) => {
        if (assigned(p)) {
          this.#assumed.delete(podKey(p));
          if (!isTerminal(p)) q.onEvent('AssignedPodAdd');
        } else if (this.#responsible(p)) q.add(p);
      },
      update: (p, old) => {
        if (assigned(p)) {
          q.delete(p);
          this.#assumed.delete(podKey(p));
          const event = assignedPodChange(old, p);
          if (event) q.onEvent(event);
        } else if (this.#responsible(p)) q.update(old, p);
        else q.delete(p);
      },
      delete: (p) => {
        this.#assumed.delete(podKey(p));
        if (assigned(p)) q.onEvent('AssignedPodDelete');
        else q.delete(p);
      },
    });
    this.#o.nodes.on({
      add: () => q.onEvent('NodeAdd'),
      update: (n, old) => {
        for (const e of nodeChanges(old, n)) q.onEvent(e);
      },
    });
    this.#o.namespaces.on({
      add: () => q.onEvent('NamespaceChange'),
      update: (n, old) => {
        if (JSON.stringify(n.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {})) q.onEvent('NamespaceChange');
      },
    });
  }

  async #run(): Promise<void> {
    for (;;) {
      const qp = await this.#queue.pop();
      if (!qp || this.#stopped) return;
      try {
        await this.#scheduleOne(qp);
      } catch (e) {
        this.#o.log.error('scheduling attempt failed', { pod: qp.key, error: errorText(e) });
        this.#queue.requeueFailed(qp, new Set());
      }
    }
  }

  /** The cluster as the next attempt sees it: every node with its bound, assumed and not-yet-terminated pods. */
  #input(pod: KObject): ScheduleInput {
    const byNode = new Map<string, KObject[]>();
    const seen = new Set<string>();
    const place = (p: KObject) => {
      const list = byNode.get(p.spec.nodeName) ?? [];
      list.push(p);
      byNode.set(p.spec.nodeName, list);
    };
    for (const p of this.#o.pods.list()) {
      if (!assigned(p) || isTerminal(p)) continue;
      seen.add(podKey(p));
      place(p);
    }
    for (const [key, p] of this.#assumed) if (!seen.has(key)) place(p);
    const nominated = new Map<string, KObject[]>();
    for (const p of this.#o.pods.list()) {
      const n = p.status?.nominatedNodeName;
      if (assigned(p) || typeof n !== 'string' || n === '' || this.#assumed.has(podKey(p))) continue;
      nominated.set(n, [...(nominated.get(n) ?? []), p]);
    }
    return {
      pod,
      nodes: this.#o.nodes.list().map((n) => new NodeInfo(n, byNode.get(n.metadata.name ?? '') ?? [])),
      plugins: this.#plugins,
      namespaceLabels: (name) => this.#o.namespaces.get(name)?.metadata.labels as Record<string, string> | undefined,
      nominatedPods: (node) => nominated.get(node) ?? [],
    };
  }

  async #scheduleOne(qp: QueuedPod): Promise<void> {
    // skipPodSchedule: the queued object may be stale; the cache knows whether it was deleted or bound meanwhile.
    const pod = this.#o.pods.get(qp.key);
    if (!pod || !this.#responsible(pod)) {
      this.#queue.done(qp.key);
      return;
    }
    qp.pod = pod;
    const input = this.#input(pod);
    let node: NodeInfo;
    try {
      const { feasible } = findFeasibleNodes(input);
      node = pickNode(feasible, pod);
    } catch (e) {
      if (e instanceof FitError) return this.#unschedulable(qp, input, e);
      const message = errorText(e);
      // No nodes at all is a rejection without a plugin; anything else is an internal scheduler error.
      return this.#failed(qp, message === noNodesAvailable ? 'Unschedulable' : 'SchedulerError', message, new Set());
    }
    // Assume the pod on the node and bind in the background, as upstream's binding cycle does: the next pod is
    // scheduled against the assumed one without waiting for the API round trip.
    this.#assumed.set(qp.key, { ...pod, spec: { ...pod.spec, nodeName: node.name } });
    const binding = this.#bind(qp, pod, node.name);
    this.#binding.add(binding);
    void binding.finally(() => this.#binding.delete(binding));
  }

  /** The binding cycle: POST pods/binding, then the Scheduled event; a refusal un-assumes the pod and reports it. */
  async #bind(qp: QueuedPod, pod: KObject, nodeName: string): Promise<void> {
    try {
      await this.#o.api.bind(pod, nodeName);
    } catch (e) {
      this.#assumed.delete(qp.key);
      this.#queue.onEvent('AssignedPodDelete');
      return this.#failed(qp, 'SchedulerError', `running Bind plugin "DefaultBinder": ${errorText(e)}`, new Set());
    }
    this.#queue.done(qp.key);
    this.#o.log.debug('pod bound', { pod: qp.key, node: nodeName });
    this.#events.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`);
  }

  /** A FitError: DefaultPreemption runs, then the failure is reported with its message. */
  async #unschedulable(qp: QueuedPod, input: ScheduleInput, fit: FitError): Promise<void> {
    const result = preempt(input, fit);
    fit.diagnosis.postFilterMsg = result.status.message();
    let nominate: string | undefined = result.clearNomination ? '' : undefined;
    if (result.candidate) {
      nominate = result.candidate.node;
      await this.#evict(input.pod, result.candidate.node, result.candidate.victims);
    }
    await this.#failed(qp, 'Unschedulable', fit.text(), fit.diagnosis.unschedulablePlugins, nominate);
  }

  /** prepareCandidate: victims get the DisruptionTarget condition, are deleted, and hear why. */
  async #evict(preemptor: KObject, node: string, victims: KObject[]): Promise<void> {
    const schedulerName = preemptor.spec?.schedulerName ?? defaultSchedulerName;
    for (const v of victims) {
      try {
        const status: Json = structuredClone(v.status ?? {});
        const changed = updatePodCondition(
          status,
          { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod` },
          rfc3339(this.#now()),
        );
        if (changed) await this.#o.api.patchPodStatus(v, { conditions: status.conditions.filter((c: Json) => c.type === 'DisruptionTarget') });
        await this.#o.api.deletePod(v);
      } catch (e) {
        if ((e as { status?: number }).status !== 404) {
          this.#o.log.error('preemption of a victim failed', { victim: objectKey(v), error: errorText(e) });
          continue;
        }
      }
      this.#events.eventf(v, preemptor, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${preemptor.metadata.uid} on node ${node}`);
    }
  }

  /** handleSchedulingFailure: requeue (unless the pod went away), record FailedScheduling, set PodScheduled=False. */
  async #failed(qp: QueuedPod, reason: 'Unschedulable' | 'SchedulerError', message: string, rejectedBy: Set<string>, nominate?: string): Promise<void> {
    const pod = qp.pod;
    const cached = this.#o.pods.get(qp.key);
    if (cached && !assigned(cached)) {
      qp.pod = cached;
      this.#queue.requeueFailed(qp, rejectedBy);
    } else {
      this.#queue.done(qp.key);
    }
    this.#events.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', message);
    const status: Json = structuredClone(pod.status ?? {});
    const conditionChanged = updatePodCondition(status, { type: 'PodScheduled', status: 'False', reason, message }, rfc3339(this.#now()));
    const nominationChanged = nominate !== undefined && (pod.status?.nominatedNodeName ?? '') !== nominate;
    if (!conditionChanged && !nominationChanged) return;
    const patch: Json = {};
    if (conditionChanged) patch.conditions = status.conditions.filter((c: Json) => c.type === 'PodScheduled');
    if (nominationChanged) patch.nominatedNodeName = nominate === '' ? null : nominate;
    try {
      await this.#o.api.patchPodStatus(pod, patch);
    } catch (e) {
      this.#o.log.error('error updating pod', { pod: qp.key, error: errorText(e) });
    }
  }
}

/** With several feasible nodes, the one with the most cpu and memory left (NodeResourcesFit's LeastAllocated score). */
function pickNode(feasible: NodeInfo[], pod: KObject): NodeInfo {
  if (feasible.length === 1) return feasible[0]!;
  const req = podRequests(pod);
  const score = (n: NodeInfo) => {
    const free = (cap: number, used: number) => (cap > 0 ? Math.max(0, cap - used) / cap : 0);
    return free(n.allocatable.milliCPU, n.requested.milliCPU + req.milliCPU) + free(n.allocatable.memory, n.requested.memory + req.memory);
  };
  return feasible.reduce((best, n) => (score(n) > score(best) ? n : best));
}

/** Which ClusterEvent an assigned pod's update is: a terminal phase frees its resources; a label or request change. */
function assignedPodChange(old: KObject, pod: KObject): ClusterEvent | undefined {
  if (isTerminal(pod) && !isTerminal(old)) return 'AssignedPodDelete';
  if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {})) return 'AssignedPodUpdate';
  const a = podRequests(old);
  const b = podRequests(pod);
  if (b.milliCPU < a.milliCPU || b.memory < a.memory || b.ephemeralStorage < a.ephemeralStorage) return 'AssignedPodUpdate';
  return undefined;
}

/** nodeSchedulingPropertiesChange. */
function nodeChanges(old: KObject, n: KObject): ClusterEvent[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const out: ClusterEvent[] = [];
  if ((old.spec?.unschedulable === true) !== (n.spec?.unschedulable === true) || !same(old.spec?.taints, n.spec?.taints)) out.push('NodeTaint');
  if (!same(old.status?.allocatable, n.status?.allocatable)) out.push('NodeAllocatable');
  if (!same(old.metadata.labels, n.metadata.labels)) out.push('NodeLabel');
  const conds = (x: KObject) => Object.fromEntries(((x.status?.conditions ?? []) as Json[]).map((c) => [c.type, c.status]));
  if (!same(conds(old), conds(n))) out.push('NodeCondition');
  if (!same(old.metadata.annotations, n.metadata.annotations)) out.push('NodeAnnotation');
  return out;
}
