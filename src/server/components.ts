// The composition root: builds every component of a cluster, starts them in order (independent ones side by side) and stops them in reverse.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { openBackend } from '../storage/open-backend.ts';
import { ApiServer, firstServiceIP } from '../apiserver/apiserver.ts';
import { apiExtensions } from '../apiserver/extensions.ts';
import { writeKubeconfig } from '../apiserver/pki/kubeconfig.ts';
import { KubeClient } from '../client/client.ts';
import { ControllerManager } from '../controllers/manager.ts';
import type { RuntimeMode } from '../node/runtime/select-runtime.ts';
import type { SigningKey } from '../apiserver/identity/signing-key.ts';
import type { Logger } from './logger.ts';
import { compactHeap } from './heap-compaction.ts';

/**
 * The node side's modules (kubelet, runtimes, scheduler): the API server needs none of them, so they load while it
 * starts and fill the moments it waits on the disk.
 */
async function loadNodeSide() {
  const [agent, images, published, registration, status, runtimes, scheduler, schedulerApi] = await Promise.all([
    import('../node/agent.ts'),
    import('../node/images/image-store.ts'),
    import('../node/images/published-images.ts'),
    import('../node/registration/node-registration.ts'),
    import('../node/registration/node-status.ts'),
    import('../node/runtime/select-runtime.ts'),
    import('../scheduler/scheduler.ts'),
    import('../scheduler/scheduler-api.ts'),
  ]);
  return { ...agent, ...images, ...published, ...registration, ...status, ...runtimes, ...scheduler, ...schedulerApi };
}

export interface ClusterOptions {
  dataDir: string;
  host: string;
  port: number;
  kubeconfig: string;
  datastore: string;
  serviceCIDR: string;
  compactionIntervalMs: number;
  /** `--event-ttl`: how long Events live after they were last seen (default 1 hour). */
  eventTtlMs?: number;
  /** This machine's Node name (`--node-name`, default the hostname lowercased and made DNS-safe). */
  nodeName: string;
  /** The cluster's pod range (default 10.244.0.0/16); the node gets its first /24 as spec.podCIDR. */
  podCIDR?: string;
  /** `--runtime auto|isolated|host` (default auto, or DABBA_RUNTIME). */
  runtime?: RuntimeMode;
  /** The service-account signing key, when the caller started reading or making it early (else the API server does). */
  serviceAccountKey?: Promise<SigningKey>;
}

/** The n-th address of an IPv4 CIDR (the cluster DNS Service takes the tenth of the service range, as kubeadm). */
function indexedIP(cidr: string, n: number): string {
  const [base] = cidr.split('/');
  const v = base.split('.').reduce((a, b) => a * 256 + Number(b), 0) + n;
  return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
}

/** How long after start-up settles the heap is compacted: the controllers' first reconciles are done by then. */
const heapCompactionDelayMs = 500;
/** How long the API must have been quiet for the compaction, and how often it looks again (for up to a minute). */
const heapCompactionQuietMs = 250;
const heapCompactionAttempts = 240;

export interface Component {
  readonly name: string;
  init?(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class Cluster {
  readonly #opts: ClusterOptions;
  readonly #log: Logger;
  readonly #started: Component[] = [];
  api: ApiServer | undefined;

  constructor(opts: ClusterOptions, log: Logger) {
    this.#opts = opts;
    this.#log = log;
  }

  async start(): Promise<void> {
    const o = this.#opts;
    await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
    const podCIDR = o.podCIDR ?? '10.244.0.0/16';
    const mode = o.runtime ?? ((process.env.DABBA_RUNTIME as RuntimeMode | undefined) || 'auto');
    // Choosing the container runtime only reads the host (PATH, mounts, cgroups): it runs beside the API server's start.
    const nodeSide = loadNodeSide().then(async (m) => ({ m, ...(await m.selectRuntime(mode)) }));
    // Awaited below; a failure before then (say --runtime isolated on a host without crun) must not go unhandled.
    nodeSide.catch(() => {});
    const api = new ApiServer({
      dataDir: o.dataDir,
      host: o.host,
      port: o.port,
      backend: await openBackend(o.datastore, o.dataDir),
      serviceCIDR: o.serviceCIDR,
      compactionIntervalMs: o.compactionIntervalMs,
      eventTtlMs: o.eventTtlMs,
      extensions: apiExtensions({ serviceAccountKey: o.serviceAccountKey }),
      log: this.#log.error,
    });
    this.api = api;
    await api.init();
    await this.#run({ name: 'apiserver', start: () => api.start(), stop: () => api.stop() });
    await writeKubeconfig(o.kubeconfig, api.pki, api.url);
    // One client per upstream component, so managedFields and events name them as a real cluster does.
    const clientAs = (component: string) =>
      new KubeClient({
        server: api.url,
        ca: api.pki.ca.cert,
        cert: api.pki.admin.cert,
        key: api.pki.admin.key,
        userAgent: `${component}/v1.33.0 (linux/amd64) kubernetes/dabba`,
      });
    const client = clientAs('kube-controller-manager');
    const schedulerClient = clientAs('kube-scheduler');
    const kubeletClient = clientAs('kubelet');
    await this.#run({
      name: 'clients',
      start: async () => {},
      stop: async () => [client, schedulerClient, kubeletClient].forEach((c) => c.close()),
    });
    const controllers = new ControllerManager(client, this.#log, { caCert: api.pki.ca.cert });
    await this.#run({ name: 'controllers', start: () => controllers.start(), stop: () => controllers.stop() });
    const { m, probe, choice } = await nodeSide;
    const node = new m.NodeRegistration({ client: kubeletClient, nodeName: o.nodeName, dataDir: o.dataDir, podCIDR: m.nodePodCIDR(podCIDR), log: this.#log });
    // Registration talks to the API while the controllers' first lists are still being served: it runs in the
    // background (the Node appears a moment after /readyz), so readiness does not wait on that queue.
    let registering: Promise<void> = Promise.resolve();
    await this.#run({
      name: node.name,
      start: async () => {
        registering = node.start().catch((e) => this.#log.error('node registration failed', { error: String(e) }));
      },
      stop: async () => {
        await registering;
        await node.stop();
      },
    });
    const kubernetesService = { clusterIP: firstServiceIP(o.serviceCIDR), port: 443, apiHost: o.host, apiPort: api.port };
    const runtime = m.createRuntime(choice, { dataDir: o.dataDir, podCIDR, nodeSubnet: m.nodePodCIDR(podCIDR), serviceCIDR: o.serviceCIDR, kubernetesService, log: this.#log }, probe);
    this.#log.info('container runtime', { runtime: choice.kind, oci: choice.ociRuntime, reasons: choice.reasons.join('; ') });
    const published = new m.PublishedImages({ client: kubeletClient, log: this.#log });
    const agent = new m.NodeAgent({
      nodeName: o.nodeName,
      dataDir: join(o.dataDir, 'kubelet'),
      runtime,
      images: new m.ImageStore({ dataDir: o.dataDir, published }),
      client: kubeletClient,
      log: this.#log,
      clusterDNS: [indexedIP(o.serviceCIDR, 10)],
      clusterDomain: 'cluster.local',
    });
    const informers = m.clientInformers(schedulerClient);
    const scheduler = new m.Scheduler({
      api: m.clientSchedulerApi(schedulerClient),
      ...informers,
      startInformers: async () => void (await Promise.all(Object.values(informers).map((i) => i.start()))),
      stopInformers: () => Object.values(informers).forEach((i) => i.stop()),
      reportingInstance: `default-scheduler-${hostname()}`,
      log: this.#log,
    });
    // The node agent and the scheduler only list and watch through the API, each for itself: they start together.
    await this.#runTogether([
      {
        name: 'node-agent',
        start: async () => {
          await published.start();
          await agent.start();
          api.setNodeProxy(agent.nodeProxy());
        },
        stop: async () => {
          api.setNodeProxy(undefined);
          await agent.stop();
          published.stop();
        },
      },
      { name: scheduler.name, start: () => scheduler.start(), stop: () => scheduler.stop() },
    ]);
    api.setReady(true);
    await this.#run(this.#heapCompaction(api, Promise.all([controllers.running(), registering])));
  }

  /**
   * Compacts the heap once start-up has settled and the API has had no request for a moment, so the pause (tens of
   * milliseconds) does not land in the middle of a client's burst; under steady traffic it waits, and gives up after
   * a minute (the heap is in use then anyway).
   */
  #heapCompaction(api: ApiServer, settled: Promise<unknown>): Component {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const attempt = (left: number) => {
      if (stopped || left === 0) return;
      if (api.msSinceLastRequest() < heapCompactionQuietMs) {
        timer = setTimeout(() => attempt(left - 1), heapCompactionQuietMs).unref();
        return;
      }
      this.#log.debug('heap compacted', { ms: Math.round(compactHeap()) });
    };
    return {
      name: 'heap-compaction',
      start: async () => {
        void settled.then(() => {
          if (!stopped) timer = setTimeout(() => attempt(heapCompactionAttempts), heapCompactionDelayMs).unref();
        });
      },
      stop: async () => {
        stopped = true;
        clearTimeout(timer);
      },
    };
  }

  async #run(c: Component): Promise<void> {
    await this.#runTogether([c]);
  }

  /** Starts components at once; those that started are stopped (in reverse of this order) even when another failed. */
  async #runTogether(cs: Component[]): Promise<void> {
    const t0 = performance.now();
    const results = await Promise.allSettled(
      cs.map(async (c) => {
        await c.start();
        this.#log.debug('component started', { component: c.name, ms: Math.round(performance.now() - t0) });
      }),
    );
    results.forEach((r, i) => r.status === 'fulfilled' && this.#started.push(cs[i]));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async stop(): Promise<void> {
    this.api?.setReady(false);
    for (const c of this.#started.reverse()) {
      try {
        await c.stop();
      } catch (e) {
        this.#log.error('component failed to stop', { component: c.name, error: String(e) });
      }
    }
    this.#started.length = 0;
  }
}
