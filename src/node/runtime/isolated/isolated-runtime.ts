// The isolated runtime: a pod is a CNI-wired network namespace, each container an OCI runtime (crun/runc) container in its own namespaces and cgroup.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { instanceNames, sandboxName, type InstanceNames } from '../../network/instance-names.ts';
import { HostShell } from '../../network/host-shell.ts';
import { PodNetwork } from '../../network/pod-network.ts';
import type { KubernetesServiceRoute } from '../../network/pod-network-rules.ts';
import { formatCidr, parseCidr, subnetOf } from '../../network/cidr.ts';
import type { HostCommandOptions } from '../../network/host-command.ts';
import { CgroupTree, detectCgroups, type CgroupLimits } from '../cgroups/cgroup-tree.ts';
import type {
  ContainerConfig,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ExecOptions,
  ExecSession,
  PodSandbox,
  PodSandboxConfig,
} from '../runtime.ts';
import { ContainerNotFoundError, ContainerStartError, RuntimeNotReadyError, SandboxNotFoundError, type RuntimeLogger } from '../runtime-errors.ts';
import { ContainerOutputs } from '../shim/container-outputs.ts';
import { attachContainer } from '../shim/attach-session.ts';
import { closeContainerStdin } from '../shim/container-stdin.ts';
import { connectTo, resizeTerminalOf, startExec, withTerminalType } from '../shim/exec-session.ts';
import { readShimExit, shellQuote, shimAlive, shimScript, spawnShim, waitForContainerStart } from '../shim/process-shim.ts';
import { readAll, writeJson } from '../shim/state-files.ts';
import { effectiveCapabilities } from './capabilities.ts';
import { ociSpec } from './oci-spec.ts';
import { sweepVanishedInstances } from './vanished-instances.ts';
import { OciRuntime, type OciRuntimeName } from './oci-runtime.ts';

const quiet: RuntimeLogger = { info() {}, error() {}, debug() {} };

export interface IsolatedRuntimeOptions {
  dataDir: string;
  /** The cluster's pod range, routed to the bridge as a whole (default 10.244.0.0/16). */
  podCIDR?: string;
  /** This node's share of it (default: the first /24). */
  nodeSubnet?: string;
  serviceCIDR?: string;
  ociRuntime?: OciRuntimeName;
  cniBinDir?: string;
  /** The `kubernetes` Service and the API server behind it, for in-cluster clients. */
  kubernetesService?: KubernetesServiceRoute;
  log?: RuntimeLogger;
}

interface SandboxRecord {
  id: string;
  podUid: string;
  name: string;
  namespace: string;
  hostname: string;
  hostNetwork: boolean;
  ip: string;
  netnsPath?: string;
  portMappings: PodSandboxConfig['portMappings'];
  cgroup: string;
  createdAt: string;
  stopped?: boolean;
}

interface ContainerRecord {
  id: string;
  sandboxId: string;
  podUid: string;
  name: string;
  cgroup: string;
  logPath: string;
  imageRootfs: string;
  createdAt: string;
  startedAt?: string;
  shimPid?: number;
  finished?: { exitCode: number; reason: string; finishedAt: string };
  /** The container spec's stdin, stdinOnce and tty (attach follows these, not the request). */
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
}

function hostAddress(exclude: string): string {
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (name === exclude) continue;
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Whether this process may lower an OOM score below 0 (needs CAP_SYS_RESOURCE, which some sandboxes take away). */
export function canLowerOomScore(): boolean {
  return effectiveCapabilities().includes('CAP_SYS_RESOURCE');
}

export class IsolatedRuntime implements ContainerRuntime {
  readonly name = 'isolated' as const;
  readonly names: InstanceNames;
  readonly dataDir: string;
  readonly network: PodNetwork;
  readonly #dir: string;
  readonly #log: RuntimeLogger;
  readonly #ociName: OciRuntimeName;
  #oci!: OciRuntime;
  #cgroups!: CgroupTree;
  #lowerOom = false;
  #ready = false;
  readonly #sandboxes = new Map<string, SandboxRecord>();
  readonly #containers = new Map<string, ContainerRecord>();
  readonly #pids = new Map<string, number>();
  readonly #outputs: ContainerOutputs;
  /** Forks the per-pod host commands (CNI, ip, crun delete) so the agent's large process does not fork for each. */
  readonly #shell: HostShell;
  readonly #run = (file: string, args: string[], options?: HostCommandOptions) => this.#shell.run(file, args, options);

  constructor(options: IsolatedRuntimeOptions) {
    this.dataDir = resolve(options.dataDir);
    this.names = instanceNames(this.dataDir);
    this.#dir = join(this.dataDir, 'run', 'isolated');
    this.#shell = new HostShell({ dir: join(this.#dir, 'host-shell') });
    this.#log = options.log ?? quiet;
    this.#outputs = new ContainerOutputs((msg, fields) => this.#log.error(msg, fields));
    this.#ociName = options.ociRuntime ?? 'crun';
    const podCIDR = options.podCIDR ?? '10.244.0.0/16';
    this.network = new PodNetwork({
      run: this.#run,
      names: this.names,
      stateDir: join(this.#dir, 'network'),
      podCIDR,
      nodeSubnet: options.nodeSubnet ?? formatCidr(subnetOf(parseCidr(podCIDR), Math.max(24, parseCidr(podCIDR).bits), 0)),
      serviceCIDR: options.serviceCIDR ?? '10.96.0.0/16',
      cniBinDir: options.cniBinDir,
      owner: this.dataDir,
      kubernetesService: options.kubernetesService,
    });
  }

  #sandboxDir(id: string): string {
    return join(this.#dir, 'sandboxes', id);
  }

  #containerDir(id: string): string {
    return join(this.#dir, 'containers', id);
  }

  async init(): Promise<void> {
    this.#lowerOom = canLowerOomScore();
    const layout = await detectCgroups();
    this.#cgroups = new CgroupTree(layout, this.names.cgroupRoot);
    this.#oci = new OciRuntime({ name: this.#ociName, stateDir: join(this.#dir, 'oci'), cgroupMode: layout.mode, run: this.#run });
    await mkdir(join(this.#dir, 'oci'), { recursive: true });
    const vanished = await sweepVanishedInstances(layout);
    if (vanished.length) this.#log.info('swept instances whose data directory is gone', { prefixes: vanished });
    // The network first: when it refuses (a range owned by someone else), nothing else has been created.
    await this.network.init();
    await this.#cgroups.create('');

    for (const s of await readAll<SandboxRecord>(join(this.#dir, 'sandboxes'), 'sandbox.json')) this.#sandboxes.set(s.id, s);
    for (const c of await readAll<ContainerRecord>(join(this.#dir, 'containers'), 'container.json')) this.#containers.set(c.id, c);

    // A sandbox whose namespace vanished (a reboot) cannot be re-adopted: forget it and its containers.
    const namespaces = new Set(await this.network.namespaces());
    for (const s of [...this.#sandboxes.values()]) {
      if (!s.hostNetwork && !s.stopped && !namespaces.has(s.id)) {
        this.#log.info('forgetting a sandbox whose network namespace is gone', { sandbox: s.id });
        await this.removePodSandbox(s.id).catch(() => {});
      }
    }
    for (const c of [...this.#containers.values()]) {
      if (!this.#sandboxes.has(c.sandboxId)) await this.removeContainer(c.id).catch(() => {});
    }
    await this.#sweep();
    // Re-adopt: read the output of containers that kept running while no agent was there.
    for (const c of this.#containers.values()) {
      if (c.startedAt && !c.finished) this.#outputs.start(c.id, this.#containerDir(c.id), c.logPath);
    }
    this.#ready = true;
  }

  #assertReady(): void {
    if (!this.#ready) throw new RuntimeNotReadyError('the isolated runtime is not initialized (init failed or was not called): no pod can get an address');
  }

  /** Removes host objects carrying the prefix that no record names: what a crashed run left behind. */
  async #sweep(): Promise<void> {
    const live = new Set([...this.#sandboxes.values()].filter((s) => !s.stopped && !s.hostNetwork).map((s) => s.id));
    const swept = await this.network.sweep(live);
    const podGroups = new Set([...this.#sandboxes.values()].map((s) => s.cgroup));
    const ctrGroups = new Set([...this.#containers.values()].map((c) => c.cgroup));
    for (const pod of await this.#cgroups.children('')) {
      if (!podGroups.has(pod)) {
        await this.#cgroups.remove(pod);
        continue;
      }
      for (const ctr of await this.#cgroups.children(pod)) if (!ctrGroups.has(`${pod}/${ctr}`)) await this.#cgroups.remove(`${pod}/${ctr}`);
    }
    for (const id of await this.#oci.list()) {
      const c = this.#containers.get(id);
      if (!c || c.finished) await this.#oci.delete(id);
    }
    if (swept.length) this.#log.info('swept leftovers of an earlier run', { namespaces: swept });
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandbox> {
    this.#assertReady();
    const id = sandboxName(this.names, config.podUid);
    const existing = this.#sandboxes.get(id);
    if (existing && !existing.stopped) return this.#sandboxView(existing);
    if (existing) await this.removePodSandbox(id);
    const dir = this.#sandboxDir(id);
    await mkdir(dir, { recursive: true });
    const cgroup = `pod${config.podUid}`;
    await this.#cgroups.create(cgroup);
    let ip: string;
    let netnsPath: string | undefined;
    if (config.hostNetwork) {
      ip = hostAddress(this.names.bridge);
    } else {
      const a = await this.network.attach(id, config.portMappings);
      ip = a.ip;
      netnsPath = a.netnsPath;
    }
    let hosts = config.etcFiles.hosts;
    // The agent may not know the pod IP yet when it renders /etc/hosts; the kubelet's file always names the pod.
    if (!config.hostNetwork && !new RegExp(`^${ip.replaceAll('.', '\\.')}\\s`, 'm').test(hosts)) {
      hosts = `${hosts.replace(/\n?$/, '\n')}${ip}\t${config.hostname}\n`;
    }
    await writeFile(join(dir, 'hosts'), hosts);
    await writeFile(join(dir, 'resolv.conf'), config.etcFiles.resolvConf);
    await writeFile(join(dir, 'hostname'), `${config.hostname}\n`);
    const rec: SandboxRecord = {
      id,
      podUid: config.podUid,
      name: config.name,
      namespace: config.namespace,
      hostname: config.hostname,
      hostNetwork: config.hostNetwork,
      ip,
      netnsPath,
      portMappings: config.portMappings,
      cgroup,
      createdAt: new Date().toISOString(),
    };
    await writeJson(join(dir, 'sandbox.json'), rec);
    this.#sandboxes.set(id, rec);
    return this.#sandboxView(rec);
  }

  #sandboxView(s: SandboxRecord): PodSandbox {
    return { id: s.id, podUid: s.podUid, ip: s.ip, ...(s.netnsPath && !s.stopped ? { netnsPath: s.netnsPath } : {}) };
  }

  async stopPodSandbox(id: string): Promise<void> {
    const s = this.#sandboxes.get(id);
    if (!s) return;
    for (const c of this.#containers.values()) if (c.sandboxId === id) await this.stopContainer(c.id, 0);
    if (!s.hostNetwork && !s.stopped) await this.network.detach(id, s.portMappings);
    s.stopped = true;
    await writeJson(join(this.#sandboxDir(id), 'sandbox.json'), s);
  }

  async removePodSandbox(id: string): Promise<void> {
    const s = this.#sandboxes.get(id);
    if (!s) return;
    for (const c of [...this.#containers.values()]) if (c.sandboxId === id) await this.removeContainer(c.id);
    if (!s.hostNetwork) await this.network.detach(id, s.stopped ? [] : s.portMappings);
    await this.#cgroups.remove(s.cgroup);
    await rm(this.#sandboxDir(id), { recursive: true, force: true });
    this.#sandboxes.delete(id);
  }

  async createContainer(sandbox: PodSandbox, config: ContainerConfig): Promise<string> {
    this.#assertReady();
    const s = this.#sandboxes.get(sandbox.id);
    if (!s || s.stopped) throw new SandboxNotFoundError(`pod sandbox ${sandbox.id} does not exist or is stopped`);
    const id = randomBytes(16).toString('hex');
    const dir = this.#containerDir(id);
    const rootfs = join(dir, 'rootfs');
    await mkdir(rootfs, { recursive: true });
    await mkdir(join(dir, 'upper'));
    await mkdir(join(dir, 'work'));
    // A terminal needs input that stays open too, or its reader would see the end at once.
    const holdStdin = config.stdin || config.tty;
    await mkdir(dirname(config.logPath), { recursive: true });
    const cgroup = `${s.cgroup}/${config.name}-${id.slice(0, 12)}`;
    const imageRootfs = resolve(config.image.rootfs || '/');
    if (/[,:\\]/.test(imageRootfs) || /[,:\\]/.test(dir)) throw new ContainerStartError(`paths with ',', ':' or '\\' cannot be overlay layers: ${imageRootfs}, ${dir}`);
    const hostRoot = imageRootfs === '/';
    const limits: CgroupLimits = { ...config.resources, restrictDevices: !config.security.privileged };
    const spec = ociSpec({
      config,
      rootfsPath: rootfs,
      hostname: s.hostname,
      netnsPath: s.hostNetwork ? undefined : s.netnsPath,
      etcFiles: { hosts: join(this.#sandboxDir(s.id), 'hosts'), resolvConf: join(this.#sandboxDir(s.id), 'resolv.conf'), hostname: join(this.#sandboxDir(s.id), 'hostname') },
      hiddenPaths: hostRoot ? [this.dataDir] : [],
      hostRoot,
      oomScoreAdj: this.#lowerOom ? config.resources.oomScoreAdj : Math.max(0, config.resources.oomScoreAdj),
      cgroup: this.#oci.shimJoinsCgroup ? undefined : { path: `/${this.names.cgroupRoot}/${cgroup}`, limits: config.resources, restrictDevices: limits.restrictDevices },
    });
    await writeFile(join(dir, 'config.json'), JSON.stringify(spec, null, 1));
    const prepare = [];
    if (this.#oci.shimJoinsCgroup) {
      await this.#cgroups.create(cgroup, limits);
      const files = this.#cgroups.procsFiles(cgroup).map(shellQuote).join(' ');
      prepare.push({ run: `for f in ${files}; do echo $$ > "$f" || exit 1; done`, what: `joining cgroup ${this.names.cgroupRoot}/${cgroup}` });
    }
    prepare.push(...this.#oci.prepareLines());
    prepare.push({
      run: `mount -t overlay overlay -o ${shellQuote(`lowerdir=${imageRootfs},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`)} ${shellQuote(rootfs)}`,
      what: `mounting the root filesystem of image ${config.image.ref}`,
    });
    const script = shimScript({
      dir,
      title: `container ${config.name} (${id}) of pod ${s.namespace}/${s.name}`,
      prepare,
      run: this.#oci.runLine(dir, id, join(dir, 'pid'), config.tty),
      stdin: holdStdin,
    });
    await writeFile(join(dir, 'start.sh'), script, { mode: 0o700 });
    const rec: ContainerRecord = {
      id,
      sandboxId: s.id,
      podUid: s.podUid,
      name: config.name,
      cgroup,
      logPath: config.logPath,
      imageRootfs,
      createdAt: new Date().toISOString(),
      stdin: config.stdin,
      stdinOnce: config.stdinOnce,
      tty: config.tty,
    };
    await writeJson(join(dir, 'container.json'), rec);
    this.#containers.set(id, rec);
    return id;
  }

  #record(id: string): ContainerRecord {
    const c = this.#containers.get(id);
    if (!c) throw new ContainerNotFoundError(`container ${id} does not exist`);
    return c;
  }


  async startContainer(id: string): Promise<void> {
    const c = this.#record(id);
    if (c.startedAt) return;
    const dir = this.#containerDir(id);
    // The output readers open before the container runs: a quick container may be gone before the shim reports back.
    const pid = await spawnShim(['unshare', '-m', '--propagation', 'private', 'sh', join(dir, 'start.sh')], () => this.#outputs.start(c.id, dir, c.logPath)).catch(async (e) => {
      await this.containerStatus(id);
      throw new ContainerStartError(`starting container ${c.name}: ${(e as Error).message}`, { cause: e });
    });
    c.shimPid = pid;
    c.startedAt = new Date().toISOString();
    await writeJson(join(dir, 'container.json'), c);
    // Wait until the runtime has created the process (pid file) or given up (exit file), so a bad command fails here.
    const start = await waitForContainerStart(dir, pid);
    if (start === 'started') return;
    if (start === 'gone') throw new ContainerStartError(`starting container ${c.name}: the shim died`);
    const exit = await readShimExit(dir);
    const st = await this.containerStatus(id);
    const detail = (await readFile(c.logPath, 'utf8').catch(() => '')).split('\n').filter(Boolean).slice(-3).map((l) => l.split(' ').slice(3).join(' ')).join('; ');
    throw new ContainerStartError(`starting container ${c.name}: ${st.reason ?? 'StartError'} (exit code ${exit?.exitCode ?? st.exitCode})${detail ? `: ${detail}` : ''}`);
  }

  /** The pid the OCI runtime wrote, remembered once read (relisting a hundred containers every second reads no file for it). */
  async #pidFile(c: ContainerRecord): Promise<number | undefined> {
    let pid = this.#pids.get(c.id);
    if (pid) return pid;
    pid = Number((await readFile(join(this.#containerDir(c.id), 'pid'), 'utf8').catch(() => '')).trim()) || undefined;
    if (pid) this.#pids.set(c.id, pid);
    return pid;
  }

  /** The host pid of the container's first process, if it still runs in the container's cgroup. */
  async #containerPid(c: ContainerRecord): Promise<number | undefined> {
    const pid = Number((await readFile(join(this.#containerDir(c.id), 'pid'), 'utf8').catch(() => '')).trim());
    if (!pid) return undefined;
    const cg = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
    return cg.includes(`/${this.names.cgroupRoot}/${c.cgroup}`) ? pid : undefined;
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const c = this.#record(id);
    if (!c.startedAt || c.finished) return;
    const dir = this.#containerDir(id);
    const waitExit = async (ms: number) => {
      const deadline = Date.now() + ms;
      for (;;) {
        if (await readShimExit(dir)) return true;
        if (!(await shimAlive(c.shimPid, dir)) && !(await this.#containerPid(c))) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const signal = async (sig: NodeJS.Signals) => {
      const pid = await this.#containerPid(c);
      if (pid) {
        try {
          process.kill(pid, sig);
        } catch {
          // exited meanwhile
        }
      }
    };
    if (graceSeconds > 0) {
      await signal('SIGTERM');
      if (await waitExit(graceSeconds * 1000)) return void (await this.containerStatus(id));
    }
    await signal('SIGKILL');
    if (!(await waitExit(10_000))) {
      // The first process is gone but others linger (or the shim is stuck): empty the cgroup by pid.
      for (const pid of await this.#cgroups.pids(c.cgroup)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await waitExit(5_000);
    }
    await this.containerStatus(id);
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.#containers.get(id);
    if (!c) return;
    if (c.startedAt && !c.finished) await this.stopContainer(id, 0);
    await this.#outputs.drain(id);
    await closeContainerStdin(this.#containerDir(id));
    await this.#oci.delete(id);
    await this.#cgroups.remove(c.cgroup);
    await rm(this.#containerDir(id), { recursive: true, force: true });
    this.#containers.delete(id);
    this.#pids.delete(id);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const c = this.#record(id);
    const base = { id: c.id, name: c.name, createdAt: c.createdAt, ...(c.startedAt ? { startedAt: c.startedAt } : {}) };
    if (c.finished) return { ...base, state: 'exited', ...c.finished };
    if (!c.startedAt) return { ...base, state: 'created' };
    const dir = this.#containerDir(id);
    let exit = await readShimExit(dir);
    if (!exit) {
      // While its shim lives, the container's first process is the one in the pid file (the shim waits on the OCI runtime, which waits on it).
      const alive = await shimAlive(c.shimPid, dir);
      const pid = alive ? await this.#pidFile(c) : await this.#containerPid(c);
      if (alive || pid) return { ...base, state: 'running', ...(pid ? { pid } : {}) };
      // The shim writes the exit file just before it goes: it may have done so since the first read.
      exit = await readShimExit(dir);
      if (!exit) return this.#finish(c, { exitCode: 255, reason: 'Unknown', finishedAt: new Date().toISOString() });
    }
    const started = (await readFile(join(dir, 'pid'), 'utf8').catch(() => '')).trim() !== '';
    let reason: string;
    let exitCode = exit.exitCode;
    if (exit.startError || !started) {
      reason = 'StartError';
      exitCode = 128;
    } else if ((await this.#cgroups.oomKills(c.cgroup)) > 0) reason = 'OOMKilled';
    else reason = exitCode === 0 ? 'Completed' : 'Error';
    return this.#finish(c, { exitCode, reason, finishedAt: exit.finishedAt });
  }

  async #finish(c: ContainerRecord, finished: NonNullable<ContainerRecord['finished']>): Promise<ContainerStatus> {
    c.finished = finished;
    await writeJson(join(this.#containerDir(c.id), 'container.json'), c);
    // The runtime's own record (runc --keep) is no longer needed once the OOM counter has been read.
    await this.#oci.delete(c.id).catch(() => {});
    return { id: c.id, name: c.name, createdAt: c.createdAt, ...(c.startedAt ? { startedAt: c.startedAt } : {}), state: 'exited', ...finished };
  }

  async list(): Promise<{ sandboxes: PodSandbox[]; containers: (ContainerStatus & { sandboxId: string })[] }> {
    const containers: (ContainerStatus & { sandboxId: string })[] = [];
    for (const c of this.#containers.values()) containers.push({ ...(await this.containerStatus(c.id)), sandboxId: c.sandboxId });
    return { sandboxes: [...this.#sandboxes.values()].map((s) => this.#sandboxView(s)), containers };
  }

  async exec(id: string, argv: string[], options: ExecOptions): Promise<ExecSession> {
    const c = this.#record(id);
    const st = await this.containerStatus(id);
    if (st.state !== 'running') throw new ContainerNotFoundError(`container ${c.name} is not running`);
    const dir = this.#containerDir(id);
    const spec = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { process: Record<string, unknown> };
    const base = join(dir, `exec-${randomBytes(6).toString('hex')}`);
    const processFile = `${base}.json`;
    const pidFile = `${base}.pid`;
    // crun's cgroup manager is off: the exec'd process joins the container's cgroup through this wrapper.
    const joinCgroup = this.#oci.shimJoinsCgroup ? `for f in ${this.#cgroups.procsFiles(c.cgroup).map(shellQuote).join(' ')}; do echo $$ > "$f"; done; ` : '';
    const session = startExec(
      {
        argv: async (size) => {
          const env = options.tty ? withTerminalType(spec.process.env as string[]) : spec.process.env;
          const consoleSize = options.tty && size ? { consoleSize: { height: size.height, width: size.width } } : {};
          await writeFile(processFile, JSON.stringify({ ...spec.process, args: argv, env, terminal: options.tty, ...consoleSize }));
          // crun takes the size from consoleSize, runc from the terminal it relays (script's): give both.
          const sized = options.tty && size ? `stty cols ${size.width} rows ${size.height} 2>/dev/null; ` : '';
          const inner = `${joinCgroup}${sized}exec ${this.#oci.execArgv(id, processFile, options.tty, pidFile).map(shellQuote).join(' ')}`;
          return options.tty ? ['script', '-qfec', `sh -c ${shellQuote(inner)}`, '/dev/null'] : ['sh', '-c', inner];
        },
        // The terminal is the runtime's pty in the container's devpts; the exec'd process holds it.
        resize: async (_child, width, height) => {
          const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
          if (pid) await resizeTerminalOf(pid, width, height);
        },
        env: { ...process.env, SHELL: '/bin/sh' },
      },
      options,
    );
    void session.exit.catch(() => {}).finally(() => Promise.all([rm(processFile, { force: true }), rm(pidFile, { force: true })]));
    return session;
  }

  async attach(id: string, options: ExecOptions): Promise<ExecSession> {
    const c = this.#record(id);
    if ((await this.containerStatus(id)).state !== 'running') throw new ContainerNotFoundError(`container ${c.name} is not running`);
    return attachContainer(c, this.#containerDir(id), this.#outputs, () => this.#containerPid(c), options.stdin);
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const s = this.#sandboxes.get(sandboxId);
    if (!s || s.stopped) throw new SandboxNotFoundError(`pod sandbox ${sandboxId} does not exist or is stopped`);
    return connectTo(s.hostNetwork ? '127.0.0.1' : s.ip, port);
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    const c = this.#record(id);
    const u = await this.#cgroups.usage(c.cgroup);
    return u ? { ...u, timestamp: new Date().toISOString() } : undefined;
  }

  /** Stops reading container output without touching any host object: what an agent crash leaves, for a successor to adopt. */
  async release(): Promise<void> {
    await this.#outputs.closeAll();
    await this.#shell.close();
  }

  async shutdown(): Promise<void> {
    const errors: unknown[] = [];
    if (!this.#cgroups) {
      // init never got far: nothing of ours was recorded, but remove whatever carries our names.
      const layout = await detectCgroups();
      this.#cgroups = new CgroupTree(layout, this.names.cgroupRoot);
      this.#oci = new OciRuntime({ name: this.#ociName, stateDir: join(this.#dir, 'oci'), cgroupMode: layout.mode, run: this.#run });
    }
    await Promise.all([...this.#sandboxes.keys()].map((s) => this.removePodSandbox(s).catch((e) => errors.push(e))));
    for (const c of [...this.#containers.keys()]) await this.removeContainer(c).catch((e) => errors.push(e));
    await this.#outputs.closeAll();
    await this.network.shutdown().catch((e) => errors.push(e));
    await this.#shell.close();
    await this.#cgroups.remove('').catch((e) => errors.push(e));
    await rm(this.#dir, { recursive: true, force: true }).catch((e) => errors.push(e));
    if (errors.length) throw new AggregateError(errors, `isolated runtime shutdown left ${errors.length} problem(s): ${errors.map((e) => (e as Error).message).join('; ')}`);
  }
}
