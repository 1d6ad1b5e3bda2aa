// The node agent (dabba's kubelet): watches the pods bound to this node, runs one worker per pod, relists the runtime, evicts under memory pressure.
import { readdir, readFile, rm } from 'node:fs/promises';
import { networkInterfaces, totalmem, cpus } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { KObject } from '../apiserver/registry/kobject.ts';
import type { NodeProxy } from '../apiserver/node-proxy.ts';
import { ApiError, type KubeClient, type ResourceRef } from '../client/client.ts';
import { Informer } from '../client/informer.ts';
import type { Logger } from '../server/logger.ts';
import type { ContainerRuntime } from './runtime/runtime.ts';
import type { EnvSources } from './env/environment.ts';
import { AgentNodeProxy } from './node-proxy-impl.ts';
import { Backoff, crashLoopInitialMs, crashLoopMaxMs } from './pod-worker-backoff.ts';
import { defaultMemoryThresholdBytes, evictionMessage, memoryAvailable, rankForMemory, type PodMemory } from './pod-worker-eviction.ts';
import { ImageManager, type ImageService } from './pod-worker-images.ts';
import type { ConfigMap, Pod, ResourceList, Secret, Service } from './pod-worker-types.ts';
import { PodWorker, type PodWorkerDeps } from './pod-worker.ts';
import type { ProbeRunner } from './probes/probe-manager.ts';
import { EventRecorder } from './status/events.ts';
import { podsRef, StatusManager } from './status/status-manager.ts';
import { ServiceAccountTokens } from './volumes/service-account-token.ts';
import { VolumeManager } from './volumes/volume-manager.ts';

const core = (resource: string, kind: string): ResourceRef => ({ group: '', version: 'v1', resource, kind, namespaced: true });
const servicesRef = core('services', 'Service');
const configMapsRef = core('configmaps', 'ConfigMap');
const secretsRef = core('secrets', 'Secret');
const serviceAccountsRef = core('serviceaccounts', 'ServiceAccount');
const nodesRef: ResourceRef = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };

export interface NodeAgentOptions {
  nodeName: string;
  /** Where the agent keeps pod directories (`pods/`) and container logs (`logs/`). */
  dataDir: string;
  runtime: ContainerRuntime;
  images: ImageService;
  client: KubeClient;
  log: Logger;
  /** kubelet --cluster-dns; default 10.96.0.10. */
  clusterDNS?: string[];
  /** kubelet --cluster-domain; default cluster.local. */
  clusterDomain?: string;
  /** kubelet --resolv-conf; default /etc/resolv.conf. */
  resolvConf?: string;
  /** Hard eviction threshold for memory.available; 0 turns eviction off. */
  evictionMemoryThresholdBytes?: number;
  /** How often the runtime is relisted for container state changes (the kubelet's PLEG: 1 s). */
  relistMs?: number;
  /** How often eviction and back-off housekeeping run (10 s). */
  housekeepingMs?: number;
  /** Reads memory.available; /proc/meminfo by default (tests inject pressure). */
  memoryAvailable?: () => Promise<number | undefined>;
  probeRunner?: ProbeRunner;
  /** The longest grace period pods get when the node shuts down (the kubelet's shutdownGracePeriod); default 5 s. */
  shutdownGracePeriodSeconds?: number;
  resyncMs?: number;
  errorRetryMs?: number;
}

/** The node's first non-internal IPv4 address (until the Node object says otherwise). */
function primaryAddress(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

const specOf = (o: KObject) => ({ ...o.metadata, resourceVersion: undefined, managedFields: undefined, spec: o.spec });

export class NodeAgent {
  readonly #o: NodeAgentOptions;
  readonly #log: Logger;
  readonly #pods: Informer;
  readonly #services: Informer;
  readonly #configMaps: Informer;
  readonly #secrets: Informer;
  readonly #serviceAccounts: Informer;
  readonly #workers = new Map<string, PodWorker>();
  readonly #status: StatusManager;
  readonly #events: EventRecorder;
  readonly #volumes: VolumeManager;
  readonly #imageManager: ImageManager;
  readonly #crashBackoff = new Backoff(crashLoopInitialMs, crashLoopMaxMs);
  readonly #startedAt = Date.now();
  readonly #allocatable: ResourceList;
  readonly #proxy: AgentNodeProxy;
  #hostIPs: string[] = [primaryAddress()];
  #ready = false;
  #stopped = false;
  #relistTimer: NodeJS.Timeout | undefined;
  #housekeepingTimer: NodeJS.Timeout | undefined;
  #lastRelist = new Map<string, string>();
  #resolvConfText: string | undefined = '';
  #nodeHostsText = '';
  #evicting: string | undefined;
  #runtimeInit: Promise<void> | undefined;

  constructor(options: NodeAgentOptions) {
    this.#o = options;
    this.#log = options.log;
    const c = options.client;
    this.#pods = new Informer(c, podsRef, { fieldSelector: `spec.nodeName=${options.nodeName}` });
    this.#services = new Informer(c, servicesRef);
    this.#configMaps = new Informer(c, configMapsRef);
    this.#secrets = new Informer(c, secretsRef);
    this.#serviceAccounts = new Informer(c, serviceAccountsRef);
    this.#status = new StatusManager(c, this.#log);
    this.#events = new EventRecorder(c, options.nodeName, this.#log);
    this.#allocatable = { cpu: String(cpus().length), memory: String(totalmem()) };
    this.#volumes = new VolumeManager(join(options.dataDir, 'pods'), {
      configMap: async (ns, name) => this.#configMaps.get(`${ns}/${name}`) as ConfigMap | undefined,
      secret: async (ns, name) => this.#secrets.get(`${ns}/${name}`) as Secret | undefined,
      serviceAccount: async (ns, name) => this.#serviceAccounts.get(`${ns}/${name}`) as { automountServiceAccountToken?: boolean } | undefined,
      tokens: new ServiceAccountTokens(c),
      allocatable: this.#allocatable,
    });
    this.#imageManager = new ImageManager(options.images);
    this.#proxy = new AgentNodeProxy(options.runtime, (uid, ns, name) => this.#workerFor(uid, ns, name));
  }

  get nodeName(): string {
    return this.#o.nodeName;
  }

  /** What the API server's pod subresources (log, exec, attach, portforward) call. */
  nodeProxy(): NodeProxy {
    return this.#proxy;
  }

  /** The workers by pod uid (tests, diagnostics). */
  get workers(): ReadonlyMap<string, PodWorker> {
    return this.#workers;
  }

  #workerFor(uid: string, ns: string, name: string): PodWorker | undefined {
    const w = this.#workers.get(uid);
    if (w) return w;
    for (const x of this.#workers.values()) if (x.pod.metadata.namespace === ns && x.pod.metadata.name === name) return x;
    return undefined;
  }

  /**
   * Prepares the runtime's host state once: at start when pods are bound here or were before, else when the first pod
   * arrives, so a cluster that runs no pods never touches the host's network.
   */
  #ensureRuntime(): Promise<void> {
    this.#runtimeInit ??= this.#o.runtime.init().then(
      () => this.#relistLoop(),
      (e) => {
        this.#runtimeInit = undefined;
        throw e;
      },
    );
    return this.#runtimeInit;
  }

  async start(): Promise<void> {
    const o = this.#o;
    this.#resolvConfText = await readFile(o.resolvConf ?? '/etc/resolv.conf', 'utf8').catch(() => '');
    this.#nodeHostsText = await readFile('/etc/hosts', 'utf8').catch(() => '');
    this.#pods.on({
      add: (p) => this.#onPod(p),
      update: (p, old) => this.#onPod(p, old),
      delete: (p) => this.#workers.get(p.metadata.uid ?? '')?.deleted(p as Pod),
    });
    const nudge = (obj: KObject) => {
      if (!this.#ready) return;
      for (const w of this.#workers.values()) if (w.pod.metadata.namespace === obj.metadata.namespace) w.requestSync();
    };
    for (const inf of [this.#configMaps, this.#secrets]) inf.on({ add: nudge, update: nudge, delete: nudge });
    await Promise.all([this.#services, this.#configMaps, this.#secrets, this.#serviceAccounts].map((i) => this.#startInformer(i)));
    await this.#startInformer(this.#pods);
    void this.#refreshHostIPs();
    const bound = this.#pods.list().some((p) => p.spec?.nodeName === o.nodeName);
    const leftovers = (await readdir(join(o.dataDir, 'pods')).catch(() => [] as string[])).length > 0;
    if (bound || leftovers) {
      await this.#ensureRuntime();
      await this.#adopt();
    }
    this.#ready = true;
    for (const p of this.#pods.list()) this.#onPod(p);
    this.#housekeepingLoop();
    this.#log.info('node agent started', { node: o.nodeName, runtime: o.runtime.name, pods: this.#workers.size });
  }

  /** Lists once; an API that is not answering yet is retried in the background by the informer itself. */
  async #startInformer(i: Informer): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await i.start();
        return;
      } catch (e) {
        if (this.#stopped || attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async #refreshHostIPs(): Promise<void> {
    try {
      const node = await this.#o.client.get(nodesRef, undefined, this.#o.nodeName);
      const addrs = (node.status?.addresses ?? []) as { type: string; address: string }[];
      const internal = addrs.filter((a) => a.type === 'InternalIP').map((a) => a.address);
      if (internal.length) this.#hostIPs = internal;
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) this.#log.debug('node addresses unavailable', { error: String(e) });
    }
  }

  #deps(): PodWorkerDeps {
    const o = this.#o;
    const env: EnvSources = {
      configMap: async (ns, name) => this.#configMaps.get(`${ns}/${name}`) as ConfigMap | undefined,
      secret: async (ns, name) => this.#secrets.get(`${ns}/${name}`) as Secret | undefined,
      services: () => (this.#services.synced ? (this.#services.list() as Service[]) : undefined),
      podIPs: [],
      hostIPs: [],
      allocatable: this.#allocatable,
    };
    return {
      runtime: o.runtime,
      images: this.#imageManager,
      volumes: this.#volumes,
      status: this.#status,
      events: this.#events,
      env,
      dns: { clusterDNS: o.clusterDNS ?? ['10.96.0.10'], clusterDomain: o.clusterDomain ?? 'cluster.local', hostResolvConf: this.#resolvConfText },
      nodeHosts: () => this.#nodeHostsText,
      hostIPs: () => this.#hostIPs,
      memoryCapacity: totalmem(),
      crashBackoff: this.#crashBackoff,
      logsRoot: join(o.dataDir, 'logs'),
      agentStartedAt: this.#startedAt,
      log: this.#log,
      onFinished: (uid) => this.#workers.delete(uid),
      probeRunner: o.probeRunner,
      resyncMs: o.resyncMs,
      errorRetryMs: o.errorRetryMs,
    };
  }

  #onPod(obj: KObject, old?: KObject): void {
    if (!this.#ready || this.#stopped) return;
    const pod = obj as Pod;
    if (pod.spec?.nodeName !== this.#o.nodeName) return;
    let w = this.#workers.get(pod.metadata.uid);
    if (!w) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
        if (!pod.metadata.deletionTimestamp) return;
      }
      const worker = new PodWorker(pod, this.#deps());
      this.#workers.set(pod.metadata.uid, worker);
      this.#startWorker(worker);
      return;
    }
    if (old && isDeepStrictEqual(specOf(obj), specOf(old))) {
      // Only the status moved (often our own patch): keep the newest object, no sync needed.
      w.pod = pod;
      return;
    }
    w.update(pod);
  }

  /** Starts a new worker once the runtime is ready; a runtime that cannot start is retried every 10 s. */
  #startWorker(worker: PodWorker): void {
    this.#ensureRuntime().then(
      () => worker.update(worker.pod),
      (e) => {
        this.#log.error('container runtime failed to start, will retry', { error: String(e) });
        const t = setTimeout(() => {
          if (!this.#stopped && this.#workers.get(worker.uid) === worker) this.#startWorker(worker);
        }, 10_000);
        t.unref();
      },
    );
  }

  /** Re-adopts the runtime's sandboxes and containers of bound pods; stops and removes the rest. */
  async #adopt(): Promise<void> {
    const o = this.#o;
    let listed;
    try {
      listed = await o.runtime.list();
    } catch (e) {
      this.#log.error('runtime list failed; starting without adoption', { error: String(e) });
      return;
    }
    const bound = new Map<string, Pod>();
    for (const p of this.#pods.list() as Pod[]) if (p.spec?.nodeName === o.nodeName) bound.set(p.metadata.uid, p);
    const uids = new Set([...listed.sandboxes.map((s) => s.podUid)]);
    for (const uid of uids) {
      const sandboxes = listed.sandboxes.filter((s) => s.podUid === uid);
      const ids = new Set(sandboxes.map((s) => s.id));
      const containers = listed.containers.filter((c) => ids.has(c.sandboxId));
      const pod = bound.get(uid);
      if (pod) {
        const w = new PodWorker(pod, this.#deps());
        await w.adopt(sandboxes, containers);
        this.#workers.set(uid, w);
        this.#log.info('re-adopted pod', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, containers: containers.length });
        continue;
      }
      this.#log.info('removing containers of a pod no longer bound here', { podUid: uid, containers: containers.length });
      for (const c of containers) {
        if (c.state === 'running') await o.runtime.stopContainer(c.id, 1).catch(() => undefined);
        await o.runtime.removeContainer(c.id).catch(() => undefined);
      }
      for (const s of sandboxes) {
        await o.runtime.stopPodSandbox(s.id).catch(() => undefined);
        await o.runtime.removePodSandbox(s.id).catch(() => undefined);
      }
    }
    // Pod directories and logs of pods that are gone.
    const podsDir = join(o.dataDir, 'pods');
    for (const uid of await readdir(podsDir).catch(() => [] as string[])) {
      if (!bound.has(uid)) await rm(join(podsDir, uid), { recursive: true, force: true });
    }
    const logsDir = join(o.dataDir, 'logs');
    for (const d of await readdir(logsDir).catch(() => [] as string[])) {
      const uid = d.split('_').at(-1) ?? '';
      if (!bound.has(uid)) await rm(join(logsDir, d), { recursive: true, force: true });
    }
  }

  /** The PLEG: relists the runtime and syncs the pods whose containers changed state. */
  #relistLoop(): void {
    if (this.#stopped) return;
    const tick = async () => {
      if (this.#stopped) return;
      try {
        const { sandboxes, containers } = await this.#o.runtime.list();
        const byPod = new Map<string, string[]>();
        const sandboxPod = new Map(sandboxes.map((s) => [s.id, s.podUid]));
        for (const s of sandboxes) byPod.set(s.podUid, [`sb:${s.id}`]);
        for (const c of containers) {
          const uid = sandboxPod.get(c.sandboxId);
          if (!uid) continue;
          byPod.get(uid)!.push(`${c.id}:${c.state}`);
        }
        const next = new Map<string, string>();
        for (const [uid, parts] of byPod) next.set(uid, parts.sort().join(','));
        for (const [uid, w] of this.#workers) {
          const now = next.get(uid) ?? '';
          if ((this.#lastRelist.get(uid) ?? '') !== now) w.requestSync();
        }
        this.#lastRelist = next;
      } catch (e) {
        this.#log.debug('relist failed', { error: String(e) });
      }
      if (!this.#stopped) this.#relistTimer = setTimeout(tick, this.#o.relistMs ?? 1000);
    };
    this.#relistTimer = setTimeout(tick, this.#o.relistMs ?? 1000);
  }

  #housekeepingLoop(): void {
    const tick = async () => {
      if (this.#stopped) return;
      this.#crashBackoff.gc();
      await this.#refreshHostIPs();
      await this.#checkMemoryPressure().catch((e) => this.#log.error('eviction check failed', { error: String(e) }));
      if (!this.#stopped) this.#housekeepingTimer = setTimeout(tick, this.#o.housekeepingMs ?? 10_000);
    };
    this.#housekeepingTimer = setTimeout(tick, this.#o.housekeepingMs ?? 10_000);
  }

  /** One eviction per housekeeping round while memory.available is under the threshold. */
  async #checkMemoryPressure(): Promise<void> {
    const threshold = this.#o.evictionMemoryThresholdBytes ?? defaultMemoryThresholdBytes;
    if (!threshold) return;
    const available = await (this.#o.memoryAvailable ?? memoryAvailable)();
    if (available === undefined || available >= threshold) return;
    if (this.#evicting && this.#workers.has(this.#evicting) && !this.#workers.get(this.#evicting)!.finished) {
      const w = this.#workers.get(this.#evicting)!;
      if (!w.records().some((r) => r.state === 'running')) this.#evicting = undefined;
      else return;
    }
    const candidates: PodMemory[] = [];
    for (const w of this.#workers.values()) {
      const pod = w.pod;
      if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const running = w.records().filter((r) => r.state === 'running');
      if (!running.length) continue;
      const usage = new Map<string, number>();
      for (const r of running) {
        const s = await this.#o.runtime.stats(r.id).catch(() => undefined);
        usage.set(r.name, (usage.get(r.name) ?? 0) + (s?.memoryWorkingSetBytes ?? 0));
      }
      candidates.push({ pod, usage });
    }
    const victim = rankForMemory(candidates)[0];
    if (!victim) return;
    const message = evictionMessage(victim, threshold, available);
    this.#log.info('evicting pod for memory pressure', { pod: `${victim.pod.metadata.namespace}/${victim.pod.metadata.name}`, available });
    this.#evicting = victim.pod.metadata.uid;
    this.#workers.get(victim.pod.metadata.uid)?.fail('Evicted', message, { gracePeriodSeconds: 0, disruption: true });
  }

  /** Stops the pods with their grace periods (capped as a graceful node shutdown), then the runtime host state; pod objects stay. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#relistTimer);
    clearTimeout(this.#housekeepingTimer);
    for (const i of [this.#pods, this.#services, this.#configMaps, this.#secrets, this.#serviceAccounts]) i.stop();
    const cap = this.#o.shutdownGracePeriodSeconds ?? 5;
    await Promise.all([...this.#workers.values()].map((w) => w.shutdown(cap).catch((e) => this.#log.error('pod shutdown failed', { error: String(e) }))));
    await this.#status.flush();
    this.#status.stop();
    await this.#events.flush();
    if (this.#runtimeInit && (await this.#runtimeInit.then(() => true, () => false))) await this.#o.runtime.shutdown().catch((e) => this.#log.error('runtime shutdown failed', { error: String(e) }));
  }
}
