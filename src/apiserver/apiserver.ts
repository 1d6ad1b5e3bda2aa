// The API server component: storage, the registry of kinds, the watch hub and the HTTPS server, with system objects bootstrapped.
import { defaultEventTtlMs, EventExpiry } from './events/event-expiry.ts';
import { join } from 'node:path';
import type { Backend } from '../storage/backend.ts';
import { StatusError } from '../machinery/status-error.ts';
import { ensurePki, type ClusterPki } from './pki/certificates.ts';
import { AesGcmTransformer, Codec } from './registry/codec.ts';
import type { Store, StoreLookup } from './registry/store.ts';
import { systemContext } from './registry/request-context.ts';
import type { ResourceHooks } from './registry/strategy.ts';
import { Registry } from './registry/registry.ts';
import { WatchHub } from './watch/watch-hub.ts';
import { Compactor } from './registry/compactor.ts';
import { Discovery } from './discovery/discovery.ts';
import { SchemaCatalog } from './openapi/schema-catalog.ts';
import { ResourceHandler } from './http/resource-handler.ts';
import { ApiHttpServer } from './http/server.ts';
import { builtinResources, groupOrder } from './resources/index.ts';
import { serviceHooks } from './resources/core/service/hooks.ts';
import type { KObject } from './registry/kobject.ts';
import { CertificateAuthenticator } from './auth/certificate-authenticator.ts';
import type { Authenticator } from './auth/authenticator.ts';
import { mastersAuthorizer, type Authorizer } from './auth/authorizer.ts';
import { passThroughFieldManager, type FieldManager } from './fieldmanager/field-manager.ts';
import type { ProtobufDecoder } from './http/protobuf-decoder.ts';
import type { Admission, ApiExtension, ApiServerContext } from './extension.ts';
import type { NodeProxy } from './node-proxy.ts';

export interface ApiServerOptions {
  dataDir: string;
  host: string;
  port: number;
  backend: Backend;
  serviceCIDR: string;
  /** How often history is compacted (upstream: 5 minutes); 0 turns compaction off. */
  compactionIntervalMs: number;
  /** How long an Event lives after it was last seen (upstream --event-ttl, 1 hour); 0 keeps Events for ever. */
  eventTtlMs?: number;
  extensions: ApiExtension[];
  log(msg: string, fields?: Record<string, unknown>): void;
}

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export class ApiServer {
  readonly #opts: ApiServerOptions;
  #pki: ClusterPki | undefined;
  #hub: WatchHub | undefined;
  #http: ApiHttpServer | undefined;
  #compactor: Compactor | undefined;
  #eventExpiry: EventExpiry | undefined;
  #registry: Registry | undefined;
  #hooks = new Map<string, ResourceHooks>();
  #authenticators: Authenticator[] = [];
  #authorizer: Authorizer = mastersAuthorizer;
  #fieldManager: FieldManager = passThroughFieldManager;
  #protobuf: ProtobufDecoder | undefined;
  #admission: Admission[] = [];
  #onStart: (() => Promise<void>)[] = [];
  #onSettle: (() => Promise<void>)[] = [];
  #onStop: (() => Promise<void>)[] = [];
  #ready = false;
  #nodeProxy: NodeProxy | undefined;
  port = 0;

  constructor(opts: ApiServerOptions) {
    this.#opts = opts;
  }

  get pki(): ClusterPki {
    if (!this.#pki) throw new Error('api server not initialised');
    return this.#pki;
  }

  get url(): string {
    const h = this.#opts.host === '0.0.0.0' ? '127.0.0.1' : this.#opts.host;
    return `https://${h.includes(':') ? `[${h}]` : h}:${this.port}`;
  }

  /** Milliseconds since the last request arrived (Infinity before any). */
  msSinceLastRequest(): number {
    return performance.now() - (this.#http?.lastRequestAt ?? -Infinity);
  }

  /** Connects the node agent's streaming endpoint (logs, exec, attach, port-forward). */
  setNodeProxy(p: NodeProxy | undefined): void {
    this.#nodeProxy = p;
  }

  /** Marks the cluster ready once every other component has started too. */
  setReady(ready: boolean): void {
    this.#ready = ready;
  }

  store(group: string, resource: string): Store | undefined {
    return this.#registry?.store(group, resource);
  }

  async init(): Promise<void> {
    const { dataDir, backend } = this.#opts;
    const [pki, transformer] = await Promise.all([
      ensurePki(dataDir, this.#opts.host, firstServiceIP(this.#opts.serviceCIDR)),
      AesGcmTransformer.fromFile(join(dataDir, 'encryption-key')),
      backend.start(),
    ]);
    this.#pki = pki;
    const codec = new Codec(transformer);
    const hub = new WatchHub(backend, codec);
    this.#hub = hub;
    const lookup: StoreLookup = {
      namespacePhase: async (name) => {
        try {
          const ns = await this.store('', 'namespaces')!.get(undefined, name);
          return ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating' ? 'Terminating' : 'Active';
        } catch (e) {
          if (e instanceof StatusError && e.code === 404) return undefined;
          throw e;
        }
      },
    };
    const registry = new Registry({ backend, codec, hub, lookup, admission: this.#admission });
    this.#registry = registry;
    this.#hooks.set('/services', serviceHooks({ serviceCIDR: this.#opts.serviceCIDR }));
    for (const def of builtinResources()) registry.add(def, this.#hooks.get(`${def.group}/${def.resource}`));

    const ctx: ApiServerContext = {
      registry,
      pki,
      dataDir,
      // Fixed, like kubeadm's default --service-account-issuer, so tokens outlive a change of port.
      issuerUrl: () => 'https://kubernetes.default.svc.cluster.local',
      log: this.#opts.log,
      addAuthenticator: (a) => this.#authenticators.push(a),
      setAuthorizer: (a) => (this.#authorizer = a),
      setFieldManager: (f) => (this.#fieldManager = f),
      setProtobuf: (p) => (this.#protobuf = p),
      addAdmission: (a) => this.#admission.push(a),
      onStart: (fn) => this.#onStart.push(fn),
      onSettle: (fn) => this.#onSettle.push(fn),
      onStop: (fn) => this.#onStop.push(fn),
      nodeProxy: () => this.#nodeProxy,
    };
    for (const ext of this.#opts.extensions) await ext.install(ctx);

    const schemas = new SchemaCatalog(registry);
    const resources = new ResourceHandler({
      registry,
      schemas,
      fieldManager: this.#fieldManager,
      protobuf: this.#protobuf,
    });
    let discovery = new Discovery(registry.definitions(), groupOrder);
    registry.onChange(() => (discovery = new Discovery(registry.definitions(), groupOrder)));
    this.#http = new ApiHttpServer({
      pki,
      discovery: () => discovery,
      schemas,
      resources,
      authenticators: [new CertificateAuthenticator(), ...this.#authenticators],
      authorizer: this.#authorizer,
      ready: () => this.#ready,
      log: this.#opts.log,
    });
  }

  async start(): Promise<void> {
    await this.#hub!.start();
    for (const [key, h] of this.#hooks) {
      if (!h.load) continue;
      const [group, resource] = key.split('/');
      h.load((await this.store(group, resource)!.list(undefined, {})).items);
    }
    // Nobody can see these writes before the port opens: they reach the disk together, not one sync each.
    const bootstrap = async () => {
      await this.#bootstrap();
      for (const fn of this.#onStart) await fn();
      for (const fn of this.#onSettle) await fn();
    };
    const backend = this.#opts.backend;
    await (backend.deferSync ? backend.deferSync(bootstrap) : bootstrap());
    this.port = await this.#http!.listen(this.#opts.host, this.#opts.port);
    const hub = this.#hub!;
    this.#compactor = new Compactor({
      backend: this.#opts.backend,
      intervalMs: this.#opts.compactionIntervalMs,
      onCompacted: (rev) => hub.compacted(rev),
      log: this.#opts.log,
    });
    this.#compactor.start();
    this.#eventExpiry = new EventExpiry({ store: () => this.store('', 'events'), ttlMs: this.#opts.eventTtlMs ?? defaultEventTtlMs, log: this.#opts.log });
    this.#eventExpiry.start();
  }

  async stop(): Promise<void> {
    this.#ready = false;
    this.#compactor?.stop();
    this.#eventExpiry?.stop();
    await this.#http?.close();
    for (const fn of this.#onStop.reverse()) await fn().catch((e) => this.#opts.log('extension failed to stop', { error: String(e) }));
    this.#hub?.stop();
    await this.#opts.backend.close();
  }

  /** System namespaces and the `kubernetes` Service, as the upstream bootstrap controller makes them. */
  async #bootstrap(): Promise<void> {
    const ctx = systemContext();
    const nsStore = this.store('', 'namespaces')!;
    for (const name of systemNamespaces) {
      if (await nsStore.get(undefined, name).catch(() => undefined)) continue;
      await ignoreExists(nsStore.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, ctx));
    }
    const svc: KObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        type: 'ClusterIP',
        clusterIP: firstServiceIP(this.#opts.serviceCIDR),
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        sessionAffinity: 'None',
      },
    };
    const services = this.store('', 'services')!;
    if (!(await services.get('default', 'kubernetes').catch(() => undefined))) await ignoreExists(services.create('default', svc, ctx));
  }
}

async function ignoreExists<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof StatusError && e.code === 409) return undefined;
    throw e;
  }
}

/** The first usable address of the service CIDR (10.96.0.1 for 10.96.0.0/16): the `kubernetes` Service's IP. */
export function firstServiceIP(cidr: string): string {
  const [base] = cidr.split('/');
  const parts = base.split('.').map(Number);
  parts[3] += 1;
  return parts.join('.');
}
