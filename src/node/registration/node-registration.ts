// Registers this machine as a Node and keeps it alive as the kubelet does: status every 10 s when it changes (or
// every 5 min), a Lease renewed every 10 s, and the node events of a kubelet start. Stopping leaves the Node in place.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { ApiError, type KubeClient, type ResourceRef } from '../../client/client.ts';
import type { Logger } from '../../server/logger.ts';
import { readMachineInfo, type MachineInfo } from './machine-info.ts';
import { leaseRenewIntervalMs, NodeLease } from './node-lease.ts';
import { defaultLabels, nodeStatus, nodeStatusChanged, registrationLabels, type NodeHealth } from './node-status.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const nodesRef: ResourceRef = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
const eventsRef: ResourceRef = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };

/** The kubelet's --node-status-update-frequency and --node-status-report-frequency defaults. */
const statusUpdateIntervalMs = 10_000;
const statusReportIntervalMs = 5 * 60_000;

export type NodeClient = Pick<KubeClient, 'get' | 'create' | 'update' | 'patch'>;

export interface NodeRegistrationOptions {
  client: NodeClient;
  nodeName: string;
  /** Where pods' ephemeral storage lives: its filesystem's size is the node's ephemeral-storage capacity. */
  dataDir: string;
  /** This node's share of the cluster's pod CIDR (spec.podCIDR), as the node IPAM controller would assign it. */
  podCIDR?: string;
  /** `<runtime>://<version>` for nodeInfo.containerRuntimeVersion; asked again at every status update. */
  containerRuntimeVersion?: () => string;
  /** Runtime errors and pressure from the node agent; asked at every status update (default: healthy). */
  health?: () => Partial<NodeHealth>;
  /** The node's images for status.images; asked at every status update. */
  images?: () => { names: string[]; sizeBytes: number }[];
  log: Logger;
  /** Tests replace the machine, the clock and the intervals. */
  machine?: () => Promise<MachineInfo>;
  now?: () => Date;
  statusUpdateMs?: number;
  statusReportMs?: number;
  leaseRenewMs?: number;
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class NodeRegistration {
  readonly name = 'node-registration';
  readonly #o: NodeRegistrationOptions;
  readonly #now: () => Date;
  readonly #lease: NodeLease;
  readonly #timers = new Set<NodeJS.Timeout>();
  #machine: MachineInfo | undefined;
  #node: KObject | undefined;
  #lastReport = 0;
  #lastUnschedulable = false;
  #eventSeq = 0;
  #stopped = false;
  #syncing: Promise<void> = Promise.resolve();

  constructor(options: NodeRegistrationOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
    this.#lease = new NodeLease(options.client, options.nodeName, () => this.#node, this.#now);
  }

  /** The Node as last written or read. */
  get node(): KObject | undefined {
    return this.#node;
  }

  /** Registers the Node and its Lease, records the start events, then keeps both fresh in the background. */
  async start(): Promise<void> {
    this.#machine = await (this.#o.machine ?? (() => readMachineInfo(this.#o.dataDir)))();
    await this.#register();
    await this.#lease.renew().catch((e) => this.#o.log.error('failed to ensure node lease exists, will retry', { node: this.#o.nodeName, error: errorText(e) }));
    this.#every(this.#o.leaseRenewMs ?? leaseRenewIntervalMs, () =>
      this.#lease.renew().then(
        () => undefined,
        (e) => this.#o.log.error('failed to renew lease', { node: this.#o.nodeName, error: errorText(e) }),
      ),
    );
    this.#every(this.#o.statusUpdateMs ?? statusUpdateIntervalMs, () => this.syncStatus());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await this.#syncing;
  }

  #every(ms: number, fn: () => Promise<void>): void {
    const tick = () => {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        if (this.#stopped) return;
        void fn().finally(() => {
          if (!this.#stopped) tick();
        });
      }, ms);
      t.unref();
      this.#timers.add(t);
    };
    tick();
  }

  #inputs() {
    const health = this.#o.health?.() ?? {};
    return {
      machine: this.#machine!,
      hostname: this.#o.nodeName,
      containerRuntimeVersion: this.#o.containerRuntimeVersion?.() ?? '',
      health: {
        runtimeErrors: health.runtimeErrors ?? [],
        memoryPressure: health.memoryPressure ?? false,
        diskPressure: health.diskPressure ?? false,
        pidPressure: health.pidPressure ?? false,
      },
      images: this.#o.images?.(),
    };
  }

  /** kubelet.registerWithAPIServer: create the Node, or reconcile the default labels of the one already there. */
  async #register(): Promise<void> {
    const o = this.#o;
    const now = this.#now();
    const arch = this.#machine!.architecture;
    // initialNode runs every status setter on a fresh Node, so each start records the condition events again.
    const { status, events } = nodeStatus(undefined, this.#inputs(), rfc3339(now));
    const initial: KObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: o.nodeName,
        labels: registrationLabels(o.nodeName, arch),
        annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: o.podCIDR ? { podCIDR: o.podCIDR, podCIDRs: [o.podCIDR] } : {},
      status,
    };
    this.#event('Starting', 'Starting kubelet.');
    for (const e of events) this.#event(e, `Node ${o.nodeName} status is now: ${e}`);
    try {
      this.#node = await o.client.create(nodesRef, undefined, initial);
      this.#lastReport = now.getTime();
      o.log.info('node registered', { node: o.nodeName });
      return;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409) throw e;
    }
    const existing = await o.client.get(nodesRef, undefined, o.nodeName);
    const patch: Json = {};
    const labels: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(defaultLabels(o.nodeName, arch))) {
      if (existing.metadata.labels?.[k] !== v) labels[k] = v === '' ? null : v;
    }
    if (Object.keys(labels).length) patch.metadata = { labels };
    if (o.podCIDR && !existing.spec?.podCIDR) patch.spec = { podCIDR: o.podCIDR, podCIDRs: [o.podCIDR] };
    this.#node = Object.keys(patch).length ? await o.client.patch(nodesRef, undefined, o.nodeName, patch) : existing;
    o.log.info('node already registered', { node: o.nodeName });
    await this.syncStatus(true);
  }

  /** One pass of kubelet.updateNodeStatus: recompute, record transitions, write when changed or due for a report. */
  syncStatus(force = false): Promise<void> {
    const run = this.#syncing.then(() => this.#sync(force));
    this.#syncing = run.catch(() => {});
    return run.catch((e) => this.#o.log.error('error updating node status, will retry', { node: this.#o.nodeName, error: errorText(e) }));
  }

  async #sync(force: boolean): Promise<void> {
    const o = this.#o;
    const node = await o.client.get(nodesRef, undefined, o.nodeName);
    this.#node = node;
    const now = this.#now();
    const { status, events } = nodeStatus(node.status, this.#inputs(), rfc3339(now));
    for (const e of events) this.#event(e, `Node ${o.nodeName} status is now: ${e}`);
    const unschedulable = node.spec?.unschedulable === true;
    if (unschedulable !== this.#lastUnschedulable) {
      const e = unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable';
      this.#event(e, `Node ${o.nodeName} status is now: ${e}`);
      this.#lastUnschedulable = unschedulable;
    }
    const due = now.getTime() - this.#lastReport >= (o.statusReportMs ?? statusReportIntervalMs);
    if (!force && !due && !nodeStatusChanged(node.status ?? {}, status)) return;
    this.#node = await o.client.patch(nodesRef, undefined, o.nodeName, { status }, 'merge', 'status');
    this.#lastReport = now.getTime();
  }

  /** A Normal event about the node, as the kubelet's recorder writes it (involvedObject uid is the node name). */
  #event(reason: string, message: string): void {
    const o = this.#o;
    const at = this.#now();
    const nanos = BigInt(at.getTime()) * 1_000_000n + BigInt(this.#eventSeq++ % 1_000_000);
    const ts = rfc3339(at);
    const ev: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${o.nodeName}.${nanos.toString(16)}`, namespace: 'default' },
      involvedObject: { kind: 'Node', name: o.nodeName, uid: o.nodeName },
      reason,
      message,
      source: { component: 'kubelet', host: o.nodeName },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type: 'Normal',
      eventTime: null,
      reportingComponent: 'kubelet',
      reportingInstance: o.nodeName,
    };
    o.client.create(eventsRef, 'default', ev).catch((e) => o.log.error('event not recorded', { reason, node: o.nodeName, error: errorText(e) }));
  }
}
