// The pods' network on this host: one bridge, routes for the pod and service ranges, a forward filter, and a CNI-wired network namespace per pod.
import { mkdir, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cidrContains, formatCidr, hostAddress, parseCidr, type Ipv4Cidr } from './cidr.ts';
import { cniPluginError, cniResult, cniStep, invokeCniPlugin, type CniInvocation, type CniResult } from './cni.ts';
import { HostCommandError, HostStepError, runHostCommand, runHostSteps, type CommandRunner } from './host-command.ts';
import { ownsName, type InstanceNames } from './instance-names.ts';
import { apiServerTarget, podNetworkRules, type KubernetesServiceRoute } from './pod-network-rules.ts';
import { assertRoutedVia, foreignRoutes, RouteChecks, RouteConflictError, routeToDevice } from './routes.ts';

export const NETNS_DIR = '/var/run/netns';

export interface PortMapping {
  containerPort: number;
  hostPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  hostIP?: string;
}

export interface PodNetworkOptions {
  names: InstanceNames;
  /** Where host-local keeps its allocations (inside the data directory, never /var/lib/cni). */
  stateDir: string;
  /** The whole cluster pod range (routed to the bridge). */
  podCIDR: string;
  /** This node's share of it, from which host-local hands out addresses. */
  nodeSubnet: string;
  serviceCIDR: string;
  cniBinDir?: string;
  /** Written as the bridge's alias (`dabba:<data-dir>`), so leftovers of an instance whose directory vanished can be found. */
  owner?: string;
  /** Runs the per-pod host commands (a HostShell's, so the agent does not fork for each); runHostCommand by default. */
  run?: CommandRunner;
  /** Leads pods' connections to the `kubernetes` Service to the API server (in-cluster clients). */
  kubernetesService?: KubernetesServiceRoute;
}

export interface PodAttachment {
  netnsName: string;
  netnsPath: string;
  ip: string;
}

interface HostBefore {
  netnsDir: boolean;
  netnsMount: boolean;
  natTables: string[];
}

const PORTMAP_CHAINS = new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-MASQ', 'CNI-HOSTPORT-SETMARK']);

/** True when a `nat` table holds nothing but portmap's shared chains with no pod's rule left in them. */
async function portmapScaffoldingOnly(family: string): Promise<boolean> {
  const out = await runHostCommand('nft', ['-j', 'list', 'table', family, 'nat']).catch(() => undefined);
  if (!out) return false;
  const items = (JSON.parse(out.stdout) as { nftables: Record<string, { name?: string; chain?: string; expr?: unknown[] }>[] }).nftables;
  for (const item of items) {
    if (item.chain && !PORTMAP_CHAINS.has(item.chain.name ?? '')) return false;
    if (item.set || item.map) return false;
    const rule = item.rule;
    if (!rule) continue;
    if (rule.chain === 'CNI-HOSTPORT-DNAT') return false;
    const text = JSON.stringify(rule.expr ?? []);
    const ok = rule.chain === 'CNI-HOSTPORT-MASQ' || rule.chain === 'CNI-HOSTPORT-SETMARK' || /"target":"CNI-HOSTPORT-(DNAT|MASQ)"/.test(text);
    if (!ok) return false;
  }
  return true;
}

export class PodNetworkError extends Error {
  readonly code = 'NODE_ERR_POD_NETWORK';
}

async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    const text = e instanceof HostCommandError ? e.stderr : String(e);
    if (!/No such|not found|Cannot find|does not exist|ENOENT/i.test(text)) throw e;
  }
}

export class PodNetwork {
  readonly names: InstanceNames;
  readonly podCIDR: Ipv4Cidr;
  readonly nodeSubnet: Ipv4Cidr;
  readonly serviceCIDR: Ipv4Cidr;
  readonly gateway: string;
  readonly #stateDir: string;
  readonly #binDir: string;
  readonly #owner?: string;
  readonly #run: CommandRunner;
  readonly #kubernetesService?: KubernetesServiceRoute;
  readonly #routeChecks: RouteChecks;

  constructor(options: PodNetworkOptions) {
    this.#owner = options.owner;
    this.#run = options.run ?? runHostCommand;
    this.#kubernetesService = options.kubernetesService;
    this.names = options.names;
    this.podCIDR = parseCidr(options.podCIDR);
    this.nodeSubnet = parseCidr(options.nodeSubnet);
    this.serviceCIDR = parseCidr(options.serviceCIDR);
    if (!cidrContains(this.podCIDR, this.nodeSubnet.base) || this.nodeSubnet.bits < this.podCIDR.bits) {
      throw new PodNetworkError(`node subnet ${options.nodeSubnet} is not inside the pod CIDR ${options.podCIDR}`);
    }
    if (this.nodeSubnet.bits > 30) throw new PodNetworkError(`node subnet ${options.nodeSubnet} is too small for pods`);
    this.gateway = hostAddress(this.nodeSubnet, 1);
    this.#stateDir = options.stateDir;
    this.#binDir = options.cniBinDir ?? '/usr/lib/cni';
    this.#routeChecks = new RouteChecks(this.names.bridge, this.#run);
  }

  /** Bridge, gateway address, forward filter and routes; afterwards no packet to the pod or service range can take the default route. */
  async init(): Promise<void> {
    await mkdir(join(this.#stateDir, 'ipam'), { recursive: true });
    await this.#recordHostBefore();
    const br = this.names.bridge;
    // Refuse before creating anything when another device already owns part of either range.
    for (const cidr of [this.podCIDR, this.serviceCIDR]) {
      const others = await foreignRoutes(formatCidr(cidr), br);
      if (others.length > 0) {
        throw new RouteConflictError(`cannot route ${formatCidr(cidr)} to ${br}: the host already routes ${others.map((r) => `${r.dst} via ${r.dev ?? r.type ?? '?'}`).join(', ')} (another dabba instance or network uses this range; pick other pod/service CIDRs or stop it)`);
      }
    }
    const exists = await runHostCommand('ip', ['-j', 'link', 'show', 'dev', br]).then(() => true, () => false);
    if (!exists) await runHostCommand('ip', ['link', 'add', 'name', br, 'type', 'bridge']);
    try {
      await runHostCommand('ip', ['addr', 'replace', `${this.gateway}/${this.nodeSubnet.bits}`, 'dev', br]);
      await runHostCommand('ip', ['link', 'set', br, 'up']);
      if (this.#owner) await runHostCommand('ip', ['link', 'set', 'dev', br, 'alias', `dabba:${this.#owner}`.slice(0, 255)]);
      // Forwarding only for packets that come in from the bridge (pod → service → pod); the host's other interfaces keep theirs.
      await writeFile(`/proc/sys/net/ipv4/conf/${br}/forwarding`, '1');
      const svc = this.#kubernetesService;
      // The API server on the host's loopback: packets DNATed there from the bridge must not be dropped as martians.
      if (svc && apiServerTarget(svc)?.loopback) await writeFile(`/proc/sys/net/ipv4/conf/${br}/route_localnet`, '1');
      await runHostCommand('nft', ['-f', '-'], { input: podNetworkRules(this.names, svc) });
      await routeToDevice(formatCidr(this.podCIDR), br);
      await routeToDevice(formatCidr(this.serviceCIDR), br);
      await this.assertSafe();
    } catch (e) {
      if (!exists) {
        await ignoreMissing(runHostCommand('ip', ['link', 'delete', br, 'type', 'bridge'])).catch(() => {});
        await ignoreMissing(runHostCommand('nft', ['delete', 'table', 'inet', this.names.nftTable])).catch(() => {});
      }
      throw e;
    }
  }

  /** Checks with `ip route get` that an unassigned pod address and a service address both go to the bridge. */
  async assertSafe(): Promise<void> {
    const lastPod = hostAddress(this.podCIDR, 2 ** (32 - this.podCIDR.bits) - 2);
    await assertRoutedVia(lastPod, this.names.bridge);
    await assertRoutedVia(hostAddress(this.nodeSubnet, 2 ** (32 - this.nodeSubnet.bits) - 2), this.names.bridge);
    await assertRoutedVia(hostAddress(this.serviceCIDR, 1), this.names.bridge);
  }

  #bridgeConfig(): Record<string, unknown> {
    return {
      name: this.names.cniNetwork,
      type: 'bridge',
      bridge: this.names.bridge,
      // The gateway address is ours (set in init); isGateway would also switch on forwarding for every interface of the host.
      isGateway: false,
      ipMasq: false,
      hairpinMode: true,
      ipam: {
        type: 'host-local',
        dataDir: join(this.#stateDir, 'ipam'),
        ranges: [[{ subnet: formatCidr(this.nodeSubnet), gateway: this.gateway }]],
        routes: [{ dst: '0.0.0.0/0', gw: this.gateway }],
      },
    };
  }

  #portmapConfig(ports: PortMapping[], prevResult?: CniResult): Record<string, unknown> {
    return {
      name: this.names.cniNetwork,
      type: 'portmap',
      capabilities: { portMappings: true },
      snat: true,
      runtimeConfig: {
        portMappings: ports.map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol.toLowerCase(), ...(p.hostIP ? { hostIP: p.hostIP } : {}) })),
      },
      ...(prevResult ? { prevResult } : {}),
    };
  }

  /** Creates the namespace `name` and wires it: loopback, a veth on the bridge with an address from host-local, hostPorts. */
  async attach(name: string, ports: PortMapping[]): Promise<PodAttachment> {
    if (!ownsName(this.names, name)) throw new PodNetworkError(`network namespace ${name} does not carry the instance prefix ${this.names.prefix}`);
    const netnsPath = join(NETNS_DIR, name);
    const base = { binDir: this.#binDir, containerId: name, netnsPath };
    const loopback: CniInvocation = { ...base, plugin: 'loopback', command: 'ADD', ifName: 'lo', config: { name: this.names.cniNetwork, type: 'loopback' } };
    const bridge: CniInvocation = { ...base, plugin: 'bridge', command: 'ADD', ifName: 'eth0', config: this.#bridgeConfig() };
    let result: CniResult;
    try {
      // One shell for the namespace and both plugins: a fork of the agent costs more than the commands themselves.
      const out = await runHostSteps([{ file: 'ip', args: ['netns', 'add', name] }, cniStep(loopback), cniStep(bridge)], { timeoutMs: 30_000 }, this.#run);
      result = cniResult(out[2]);
    } catch (e) {
      // A namespace that could not be made is not ours to remove (it may exist already).
      if (e instanceof HostStepError && e.step === 0) throw e;
      await this.detach(name, []).catch(() => {});
      throw e instanceof HostStepError ? cniPluginError(e.step === 1 ? loopback : bridge, e) : e;
    }
    try {
      const ip = result.ips?.[0]?.address.split('/')[0];
      if (!ip) throw new PodNetworkError(`the bridge plugin gave ${name} no address: ${JSON.stringify(result)}`);
      // The safety rule, per address: it must be reachable only through this instance's bridge.
      await this.#routeChecks.assertRoutedVia(ip);
      if (ports.length > 0) {
        await invokeCniPlugin({ ...base, plugin: 'portmap', command: 'ADD', ifName: 'eth0', config: this.#portmapConfig(ports, result) }, this.#run);
      }
      return { netnsName: name, netnsPath, ip };
    } catch (e) {
      await this.detach(name, ports).catch(() => {});
      throw e;
    }
  }

  /**
   * Undoes attach: hostPort rules, the address, the veth and the namespace. Safe to repeat.
   * `ports` undefined means unknown (a sweep): portmap's DEL still finds its rules by the container id.
   */
  async detach(name: string, ports: PortMapping[] | undefined): Promise<void> {
    if (!ownsName(this.names, name)) throw new PodNetworkError(`network namespace ${name} does not carry the instance prefix ${this.names.prefix}`);
    const netnsPath = join(NETNS_DIR, name);
    const base = { binDir: this.#binDir, containerId: name, netnsPath };
    const errors: unknown[] = [];
    const known = ports ?? [{ containerPort: 1, hostPort: 1, protocol: 'TCP' as const }];
    if (known.length > 0 && (ports !== undefined || (await this.#hasHostPorts(name)))) {
      await invokeCniPlugin({ ...base, plugin: 'portmap', command: 'DEL', ifName: 'eth0', config: this.#portmapConfig(known) }, this.#run).catch((e) => errors.push(e));
    }
    await invokeCniPlugin({ ...base, plugin: 'bridge', command: 'DEL', ifName: 'eth0', config: this.#bridgeConfig() }, this.#run).catch((e) => errors.push(e));
    await ignoreMissing(this.#run('ip', ['netns', 'delete', name])).catch((e) => errors.push(e));
    if (errors.length > 0) throw new PodNetworkError(`detaching ${name}: ${errors.map((e) => (e as Error).message).join('; ')}`, { cause: errors[0] });
  }

  /** This instance's network namespaces that exist now. */
  async namespaces(): Promise<string[]> {
    const entries = await readdir(NETNS_DIR).catch(() => [] as string[]);
    return entries.filter((n) => n.startsWith(`${this.names.prefix}-`));
  }

  /** Removes namespaces (and their address leases) that the runtime no longer tracks: a crashed run's leftovers. */
  async sweep(keep: Set<string>): Promise<string[]> {
    const swept: string[] = [];
    for (const name of await this.namespaces()) {
      if (keep.has(name)) continue;
      await this.detach(name, undefined).catch(() => ignoreMissing(runHostCommand('ip', ['netns', 'delete', name])));
      swept.push(name);
    }
    // host-local files are named by address and hold the container id on their first line.
    const leases = join(this.#stateDir, 'ipam', this.names.cniNetwork);
    for (const file of await readdir(leases).catch(() => [] as string[])) {
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(file)) continue;
      const owner = (await readFile(join(leases, file), 'utf8').catch(() => '')).split(/\s/)[0];
      if (!keep.has(owner)) await rm(join(leases, file), { force: true });
    }
    return swept;
  }

  /** Removes the namespaces that remain, the filter table, the bridge (its routes go with it) and the lease files. */
  async shutdown(): Promise<void> {
    await this.sweep(new Set());
    await ignoreMissing(runHostCommand('nft', ['delete', 'table', 'inet', this.names.nftTable]));
    await ignoreMissing(runHostCommand('ip', ['link', 'delete', this.names.bridge, 'type', 'bridge']));
    await rm(join(this.#stateDir, 'ipam'), { recursive: true, force: true });
    await this.#restoreHostBefore();
  }

  get #beforeFile(): string {
    return join(this.#stateDir, 'host-before.json');
  }

  /**
   * Notes, once per instance (a crashed run keeps the first note), which shared host objects existed before dabba:
   * `ip netns` mounts /run/netns onto itself and portmap creates the `nat` tables; dabba removes them at the end
   * only if it made them and nobody else uses them.
   */
  async #recordHostBefore(): Promise<void> {
    if (await stat(this.#beforeFile).then(() => true, () => false)) return;
    const mounts = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
    const before: HostBefore = {
      netnsDir: await stat(NETNS_DIR).then(() => true, () => false),
      netnsMount: mounts.split('\n').some((l) => l.split(' ')[4] === '/run/netns' || l.split(' ')[4] === NETNS_DIR),
      natTables: [],
    };
    for (const family of ['ip', 'ip6']) {
      if (await runHostCommand('nft', ['list', 'table', family, 'nat']).then(() => true, () => false)) before.natTables.push(family);
    }
    await writeFile(this.#beforeFile, JSON.stringify(before));
  }

  async #restoreHostBefore(): Promise<void> {
    const text = await readFile(this.#beforeFile, 'utf8').catch(() => undefined);
    if (!text) return;
    const before = JSON.parse(text) as HostBefore;
    for (const family of ['ip', 'ip6']) {
      if (before.natTables.includes(family)) continue;
      if (await portmapScaffoldingOnly(family)) await ignoreMissing(runHostCommand('nft', ['delete', 'table', family, 'nat']));
    }
    const left = await readdir(NETNS_DIR).catch(() => undefined);
    if (left && left.length === 0) {
      if (!before.netnsMount) await runHostCommand('umount', [NETNS_DIR]).catch(() => {});
      if (!before.netnsDir) await rmdir(NETNS_DIR).catch(() => {});
    }
    await rm(this.#beforeFile, { force: true });
  }

  /** Whether portmap put hostPort rules for this sandbox (found by the id in its rule comments). */
  async #hasHostPorts(name: string): Promise<boolean> {
    const { stdout } = await runHostCommand('nft', ['list', 'chain', 'ip', 'nat', 'CNI-HOSTPORT-DNAT']).catch(() => ({ stdout: '' }));
    return stdout.includes(`id: \\"${name}\\"`) || stdout.includes(`id: "${name}"`);
  }
}
