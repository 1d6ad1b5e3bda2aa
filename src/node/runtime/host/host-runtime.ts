// The host runtime, for machines without root or the Debian packages: containers are plain host processes, each pod with its own loopback address.
//
// Weaker isolation, honestly: containers share the host's filesystem, network namespace (ports included), users and
// process table. Volumes are not mounted: paths under a mount in argv, env and workingDir are rewritten to the host
// directory. With root it still applies cgroup limits (so OOMKilled works), runAsUser/Group and the capability bounding set.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { instanceNames, sandboxName, type InstanceNames } from '../../network/instance-names.ts';
import { CgroupTree, detectCgroups, type CgroupLimits } from '../cgroups/cgroup-tree.ts';
import { containerCapabilities } from '../isolated/capabilities.ts';
import { ContainerNotFoundError, ContainerStartError, SandboxNotFoundError, type RuntimeLogger } from '../runtime-errors.ts';
import { attachContainer } from '../shim/attach-session.ts';
import { closeContainerStdin, stdinFifoName } from '../shim/container-stdin.ts';
import { connectTo, startExec, withTerminalType } from '../shim/exec-session.ts';
import { DEFAULT_PATH } from '../isolated/oci-spec.ts';
import type {
  ContainerConfig,
  ContainerRuntime,
  ContainerStats,
  ContainerStatus,
  ExecOptions,
  ExecSession,
  Mount,
  PodSandbox,
  PodSandboxConfig,
} from '../runtime.ts';
import { ContainerOutputs } from '../shim/container-outputs.ts';
import { readShimExit, shellQuote, shimAlive, shimScript, spawnShim, waitForContainerStart } from '../shim/process-shim.ts';
import { readAll, writeJson } from '../shim/state-files.ts';

const quiet: RuntimeLogger = { info() {}, error() {}, debug() {} };

export interface HostRuntimeOptions {
  dataDir: string;
  log?: RuntimeLogger;
  /** Use cgroups when they are writable (root); false forces plain processes. */
  useCgroups?: boolean;
}

interface SandboxRecord {
  id: string;
  podUid: string;
  name: string;
  namespace: string;
  hostname: string;
  hostNetwork: boolean;
  ip: string;
  cgroup: string;
  createdAt: string;
  stopped?: boolean;
}

interface ContainerRecord {
  id: string;
  sandboxId: string;
  name: string;
  cgroup?: string;
  logPath: string;
  argv: string[];
  env: [string, string][];
  cwd: string;
  /** setpriv options (root only): user, groups, bounding set, no_new_privs. */
  privileges: string[];
  createdAt: string;
  startedAt?: string;
  shimPid?: number;
  finished?: { exitCode: number; reason: string; finishedAt: string };
  /** The container spec's stdin, stdinOnce and tty (attach follows these, not the request). */
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
}

/** 127.0.<n>.<m> with n in 2..254 (127.0.0.1 is the host's, 127.0.1.1 Debian's hostname), m in 1..254. */
const LOOPBACK_SLOTS = 253 * 254;

function loopbackAddress(slot: number): string {
  return `127.0.${2 + Math.floor(slot / 254)}.${1 + (slot % 254)}`;
}

function hostAddress(): string {
  for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

/** Rewrites a container path that lies under a mount to the host path behind it. */
export function hostPathFor(path: string, mounts: Mount[]): string {
  let best: Mount | undefined;
  for (const m of mounts) {
    if (m.tmpfsBytes !== undefined) continue;
    const at = m.containerPath.replace(/\/+$/, '');
    if ((path === at || path.startsWith(`${at}/`)) && (!best || at.length > best.containerPath.length)) best = m;
  }
  return best ? best.hostPath + path.slice(best.containerPath.replace(/\/+$/, '').length) : path;
}

/** An env value that is a path, or a colon-separated list of paths (PATH), seen from the host. */
function hostValue(v: string, mounts: Mount[]): string {
  if (!v.startsWith('/')) return v;
  const parts = v.split(':');
  return parts.every((p) => p.startsWith('/')) ? parts.map((p) => hostPathFor(p, mounts)).join(':') : hostPathFor(v, mounts);
}

/** Whether a process of `uid` can reach `p`: every directory above it searchable by others (or owned by that uid). */
async function reachableBy(p: string, uid: number): Promise<boolean> {
  if (uid === 0) return true;
  for (let d = dirname(p); ; d = dirname(d)) {
    const st = await stat(d).catch(() => undefined);
    if (!st || !(st.mode & 0o001 || (st.uid === uid && st.mode & 0o100))) return false;
    if (d === '/') return true;
  }
}

/**
 * argv with paths under mounts rewritten; a bare command found on PATH inside a mount (the node image's binary) becomes
 * its host path. A non-root container cannot enter the data directory (0700) those mounts live in: a busybox applet
 * then runs as `busybox <applet>` from busybox's own place, anything else is left to the PATH lookup.
 */
async function hostArgv(argv: string[], path: string, mounts: Mount[], uid: number): Promise<string[]> {
  const out = argv.map((a) => (a.startsWith('/') ? hostPathFor(a, mounts) : a));
  const cmd = argv[0];
  if (cmd && !cmd.includes('/')) {
    for (const d of path.split(':')) {
      if (!d) continue;
      const inContainer = join(d, cmd);
      const onHost = hostPathFor(inContainer, mounts);
      if (onHost !== inContainer && (await executable(onHost))) {
        if (await reachableBy(onHost, uid)) out[0] = onHost;
        else {
          const real = await realpath(onHost).catch(() => onHost);
          if (basename(real) === 'busybox' && (await reachableBy(real, uid))) out.splice(0, 1, real, cmd);
          else continue;
        }
        break;
      }
      if (await executable(onHost)) break;
    }
  }
  return out;
}

async function executable(p: string): Promise<boolean> {
  return access(p, constants.X_OK).then(() => true, () => false);
}

export class HostRuntime implements ContainerRuntime {
  readonly name = 'host' as const;
  readonly names: InstanceNames;
  readonly dataDir: string;
  readonly #dir: string;
  readonly #log: RuntimeLogger;
  readonly #wantCgroups: boolean;
  #cgroups?: CgroupTree;
  readonly #root = process.getuid?.() === 0;
  readonly #sandboxes = new Map<string, SandboxRecord>();
  readonly #containers = new Map<string, ContainerRecord>();
  readonly #outputs: ContainerOutputs;

  constructor(options: HostRuntimeOptions) {
    this.dataDir = resolve(options.dataDir);
    this.names = instanceNames(this.dataDir);
    this.#dir = join(this.dataDir, 'run', 'host');
    this.#log = options.log ?? quiet;
    this.#outputs = new ContainerOutputs((msg, fields) => this.#log.error(msg, fields));
    this.#wantCgroups = options.useCgroups ?? true;
  }

  /** Whether limits, OOM kills and stats come from cgroups (root) or not at all. */
  get usesCgroups(): boolean {
    return this.#cgroups !== undefined;
  }

  async init(): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    if (this.#wantCgroups && this.#root) {
      const layout = await detectCgroups();
      if (layout.mode !== 'none') {
        const tree = new CgroupTree(layout, this.names.cgroupRoot);
        try {
          await tree.create('');
          this.#cgroups = tree;
        } catch (e) {
          this.#log.info('cgroups are not writable; containers run without limits', { error: (e as Error).message });
        }
      }
    }
    for (const s of await readAll<SandboxRecord>(join(this.#dir, 'sandboxes'), 'sandbox.json')) this.#sandboxes.set(s.id, s);
    for (const c of await readAll<ContainerRecord>(join(this.#dir, 'containers'), 'container.json')) this.#containers.set(c.id, c);
    for (const c of [...this.#containers.values()]) if (!this.#sandboxes.has(c.sandboxId)) await this.removeContainer(c.id).catch(() => {});
    if (this.#cgroups) {
      const pods = new Set([...this.#sandboxes.values()].map((s) => s.cgroup));
      const ctrs = new Set([...this.#containers.values()].map((c) => c.cgroup));
      for (const pod of await this.#cgroups.children('')) {
        if (!pods.has(pod)) await this.#cgroups.remove(pod);
        else for (const ctr of await this.#cgroups.children(pod)) if (!ctrs.has(`${pod}/${ctr}`)) await this.#cgroups.remove(`${pod}/${ctr}`);
      }
    }
    for (const c of this.#containers.values()) if (c.startedAt && !c.finished) this.#outputs.start(c.id, join(this.#dir, 'containers', c.id), c.logPath);
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandbox> {
    const id = sandboxName(this.names, config.podUid);
    const existing = this.#sandboxes.get(id);
    if (existing && !existing.stopped) return this.#view(existing);
    if (existing) await this.removePodSandbox(id);
    let ip = hostAddress();
    if (!config.hostNetwork) {
      const used = new Set([...this.#sandboxes.values()].map((s) => s.ip));
      const offset = parseInt(this.names.prefix.slice(3), 16) % LOOPBACK_SLOTS;
      let slot = 0;
      while (slot < LOOPBACK_SLOTS && used.has(loopbackAddress((offset + slot) % LOOPBACK_SLOTS))) slot++;
      if (slot === LOOPBACK_SLOTS) throw new SandboxNotFoundError('no loopback address left for another pod');
      ip = loopbackAddress((offset + slot) % LOOPBACK_SLOTS);
    }
    const dir = join(this.#dir, 'sandboxes', id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'hosts'), config.etcFiles.hosts);
    await writeFile(join(dir, 'resolv.conf'), config.etcFiles.resolvConf);
    const cgroup = `pod${config.podUid}`;
    if (this.#cgroups) await this.#cgroups.create(cgroup);
    const rec: SandboxRecord = { id, podUid: config.podUid, name: config.name, namespace: config.namespace, hostname: config.hostname, hostNetwork: config.hostNetwork, ip, cgroup, createdAt: new Date().toISOString() };
    await writeJson(join(dir, 'sandbox.json'), rec);
    this.#sandboxes.set(id, rec);
    return this.#view(rec);
  }

  #view(s: SandboxRecord): PodSandbox {
    return { id: s.id, podUid: s.podUid, ip: s.ip };
  }

  async stopPodSandbox(id: string): Promise<void> {
    const s = this.#sandboxes.get(id);
    if (!s) return;
    for (const c of this.#containers.values()) if (c.sandboxId === id) await this.stopContainer(c.id, 0);
    s.stopped = true;
    await writeJson(join(this.#dir, 'sandboxes', id, 'sandbox.json'), s);
  }

  async removePodSandbox(id: string): Promise<void> {
    const s = this.#sandboxes.get(id);
    if (!s) return;
    for (const c of [...this.#containers.values()]) if (c.sandboxId === id) await this.removeContainer(c.id);
    if (this.#cgroups) await this.#cgroups.remove(s.cgroup);
    await rm(join(this.#dir, 'sandboxes', id), { recursive: true, force: true });
    this.#sandboxes.delete(id);
  }

  async createContainer(sandbox: PodSandbox, config: ContainerConfig): Promise<string> {
    const s = this.#sandboxes.get(sandbox.id);
    if (!s || s.stopped) throw new SandboxNotFoundError(`pod sandbox ${sandbox.id} does not exist or is stopped`);
    const id = randomBytes(16).toString('hex');
    const dir = join(this.#dir, 'containers', id);
    await mkdir(dir, { recursive: true });
    // A terminal needs input that stays open too, or its reader would see the end at once.
    const holdStdin = config.stdin || config.tty;
    await mkdir(dirname(config.logPath), { recursive: true });
    const mounts = [...(config.image.mounts ?? []), ...config.mounts];
    const env = new Map<string, string>([['PATH', DEFAULT_PATH], ['HOSTNAME', s.hostname], ['POD_IP', s.ip]]);
    for (const [k, v] of Object.entries(config.image.env)) env.set(k, v);
    for (const [k, v] of config.env) env.set(k, v);
    if (config.tty && !env.has('TERM')) env.set('TERM', 'xterm');
    const sec = config.security;
    const privileges: string[] = [];
    if (!sec.allowPrivilegeEscalation && !sec.privileged) privileges.push('--no-new-privs');
    if (this.#root) {
      const uid = sec.runAsUser ?? config.image.user;
      privileges.push(`--reuid=${uid}`, `--regid=${sec.runAsGroup ?? 0}`);
      privileges.push(sec.supplementalGroups.length ? `--groups=${sec.supplementalGroups.join(',')}` : '--clear-groups');
      const caps = containerCapabilities({ add: sec.capabilitiesAdd, drop: sec.capabilitiesDrop, privileged: sec.privileged });
      privileges.push(`--bounding-set=-all${caps.map((c) => `,+${c.slice(4).toLowerCase()}`).join('')}`, '--inh-caps=-all');
    }
    const rec: ContainerRecord = {
      id,
      sandboxId: s.id,
      name: config.name,
      ...(this.#cgroups ? { cgroup: `${s.cgroup}/${config.name}-${id.slice(0, 12)}` } : {}),
      logPath: config.logPath,
      argv: await hostArgv(config.argv, env.get('PATH') ?? DEFAULT_PATH, mounts, this.#root ? (sec.runAsUser ?? config.image.user) : (process.getuid?.() ?? 0)),
      env: [...env].map(([k, v]) => [k, hostValue(v, mounts)]),
      cwd: hostPathFor(config.workingDir || config.image.workingDir || '/', mounts),
      privileges,
      createdAt: new Date().toISOString(),
      stdin: config.stdin,
      stdinOnce: config.stdinOnce,
      tty: config.tty,
    };
    if (rec.cgroup) {
      const limits: CgroupLimits = { ...config.resources, restrictDevices: false };
      await this.#cgroups!.create(rec.cgroup, limits);
    }
    const prepare = [];
    if (rec.cgroup) {
      prepare.push({ run: `for f in ${this.#cgroups!.procsFiles(rec.cgroup).map(shellQuote).join(' ')}; do echo $$ > "$f" || exit 1; done`, what: `joining cgroup ${rec.cgroup}` });
    }
    prepare.push({ run: `cd ${shellQuote(rec.cwd)}`, what: `workingDir ${rec.cwd} does not exist on this host (the host runtime mounts no volumes)` });
    const envArgs = rec.env.map(([k, v]) => shellQuote(`${k}=${v}`)).join(' ');
    const priv = rec.privileges.length ? `setpriv ${rec.privileges.map(shellQuote).join(' ')} ` : '';
    const command = `${priv}env -i ${envArgs} ${rec.argv.map(shellQuote).join(' ')}`;
    // setsid makes the container its own process group, so stop can signal everything it started. A terminal comes
    // from `script`, whose child leads its own session on the pty. A background job reads /dev/null unless told.
    const start = config.tty ? `SHELL=/bin/sh setsid script -qfec ${shellQuote(command)} /dev/null` : `setsid ${command}`;
    const run = `${start}${holdStdin ? ` <"$D/${stdinFifoName}"` : ''} &\necho $! > "$D/pid"\nwait $!`;
    const title = `host container ${config.name} (${id}) of pod ${s.namespace}/${s.name}`;
    await writeFile(join(dir, 'start.sh'), shimScript({ dir, title, prepare, run, stdin: holdStdin }), { mode: 0o700 });
    await writeJson(join(dir, 'container.json'), rec);
    this.#containers.set(id, rec);
    return id;
  }

  #record(id: string): ContainerRecord {
    const c = this.#containers.get(id);
    if (!c) throw new ContainerNotFoundError(`container ${id} does not exist`);
    return c;
  }


  async #resolveCommand(c: ContainerRecord): Promise<string | undefined> {
    const cmd = c.argv[0];
    if (!cmd) return undefined;
    if (cmd.includes('/')) return (await executable(resolve(c.cwd, cmd))) ? cmd : undefined;
    const path = c.env.find(([k]) => k === 'PATH')?.[1] ?? DEFAULT_PATH;
    for (const d of path.split(delimiter)) if (d && (await executable(join(d, cmd)))) return join(d, cmd);
    return undefined;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.#record(id);
    if (c.startedAt) return;
    const dir = join(this.#dir, 'containers', id);
    if (!(await this.#resolveCommand(c))) {
      const msg = `exec: ${JSON.stringify(c.argv[0] ?? '')}: executable file not found in $PATH`;
      c.startedAt = new Date().toISOString();
      c.finished = { exitCode: 128, reason: 'StartError', finishedAt: c.startedAt };
      await writeJson(join(dir, 'container.json'), c);
      throw new ContainerStartError(`starting container ${c.name}: ${msg}`);
    }
    // The output readers open before the container runs: a quick container may be gone before the shim reports back.
    const pid = await spawnShim(['sh', join(dir, 'start.sh')], () => this.#outputs.start(c.id, dir, c.logPath)).catch(async (e) => {
      c.startedAt = new Date().toISOString();
      await this.containerStatus(id).catch(() => {});
      throw new ContainerStartError(`starting container ${c.name}: ${(e as Error).message}`, { cause: e });
    });
    c.shimPid = pid;
    c.startedAt = new Date().toISOString();
    await writeJson(join(dir, 'container.json'), c);
    await waitForContainerStart(dir, pid, 4_000);
  }

  async #pid(c: ContainerRecord): Promise<number | undefined> {
    const pid = Number((await readFile(join(this.#dir, 'containers', c.id, 'pid'), 'utf8').catch(() => '')).trim());
    if (!pid) return undefined;
    // The process group leader must still be the one we started (its environment names the pod's address).
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (!stat) return undefined;
    if (!c.tty) return pid;
    // With a terminal the recorded pid is `script`'s: the container is its child (signalled directly, since script
    // would answer SIGTERM by killing it and exiting 0).
    const child = Number((await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/)[0]);
    return child || pid;
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    const c = this.#record(id);
    if (!c.startedAt || c.finished) return;
    const dir = join(this.#dir, 'containers', id);
    const exited = async () => (await readShimExit(dir)) !== undefined || !(await shimAlive(c.shimPid, dir));
    const waitExit = async (ms: number) => {
      const deadline = Date.now() + ms;
      while (!(await exited())) {
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 10));
      }
      return true;
    };
    const signal = async (sig: NodeJS.Signals) => {
      const pid = await this.#pid(c);
      if (!pid) return;
      try {
        process.kill(-pid, sig);
      } catch {
        try {
          process.kill(pid, sig);
        } catch {
          // gone
        }
      }
    };
    if (graceSeconds > 0) {
      await signal('SIGTERM');
      if (await waitExit(graceSeconds * 1000)) return void (await this.containerStatus(id));
    }
    await signal('SIGKILL');
    if (!(await waitExit(10_000)) && c.cgroup) {
      for (const pid of await this.#cgroups!.pids(c.cgroup)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone between the listing and the signal.
        }
      }
    }
    await waitExit(5_000);
    await this.containerStatus(id);
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.#containers.get(id);
    if (!c) return;
    if (c.startedAt && !c.finished) await this.stopContainer(id, 0);
    await this.#outputs.drain(id);
    await closeContainerStdin(join(this.#dir, 'containers', id));
    if (c.cgroup) await this.#cgroups?.remove(c.cgroup);
    await rm(join(this.#dir, 'containers', id), { recursive: true, force: true });
    this.#containers.delete(id);
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const c = this.#record(id);
    const base = { id: c.id, name: c.name, createdAt: c.createdAt, ...(c.startedAt ? { startedAt: c.startedAt } : {}) };
    if (c.finished) return { ...base, state: 'exited', ...c.finished };
    if (!c.startedAt) return { ...base, state: 'created' };
    const dir = join(this.#dir, 'containers', id);
    let exit = await readShimExit(dir);
    if (!exit) {
      if (await shimAlive(c.shimPid, dir)) {
        const pid = await this.#pid(c);
        return { ...base, state: 'running', ...(pid ? { pid } : {}) };
      }
      // The shim writes the exit file just before it goes: it may have done so since the first read.
      exit = await readShimExit(dir);
    }
    if (!exit) {
      c.finished = { exitCode: 255, reason: 'Unknown', finishedAt: new Date().toISOString() };
    } else if (exit.startError) {
      c.finished = { exitCode: 128, reason: 'StartError', finishedAt: exit.finishedAt };
    } else {
      const oom = c.cgroup ? await this.#cgroups!.oomKills(c.cgroup) : 0;
      c.finished = { exitCode: exit.exitCode, reason: oom > 0 ? 'OOMKilled' : exit.exitCode === 0 ? 'Completed' : 'Error', finishedAt: exit.finishedAt };
    }
    await writeJson(join(dir, 'container.json'), c);
    return { ...base, state: 'exited', ...c.finished };
  }

  async list(): Promise<{ sandboxes: PodSandbox[]; containers: (ContainerStatus & { sandboxId: string })[] }> {
    const containers: (ContainerStatus & { sandboxId: string })[] = [];
    for (const c of this.#containers.values()) containers.push({ ...(await this.containerStatus(c.id)), sandboxId: c.sandboxId });
    return { sandboxes: [...this.#sandboxes.values()].map((s) => this.#view(s)), containers };
  }

  async exec(id: string, argv: string[], options: ExecOptions): Promise<ExecSession> {
    const c = this.#record(id);
    if ((await this.containerStatus(id)).state !== 'running') throw new ContainerNotFoundError(`container ${c.name} is not running`);
    const join_ = c.cgroup ? `for f in ${this.#cgroups!.procsFiles(c.cgroup).map(shellQuote).join(' ')}; do echo $$ > "$f"; done; ` : '';
    const priv = c.privileges.length ? `setpriv ${c.privileges.map(shellQuote).join(' ')} ` : '';
    const env = options.tty ? withTerminalType(c.env.map(([k, v]) => `${k}=${v}`)) : c.env.map(([k, v]) => `${k}=${v}`);
    const inner = `${join_}cd ${shellQuote(c.cwd)} && exec ${priv}env -i ${env.map(shellQuote).join(' ')} ${argv.map(shellQuote).join(' ')}`;
    return startExec(
      {
        argv: (size) => {
          if (!options.tty) return ['sh', '-c', inner];
          // script's pty is the session's terminal: give it the client's size before the command starts.
          const sized = size ? `stty cols ${size.width} rows ${size.height} 2>/dev/null; ${inner}` : inner;
          return ['script', '-qfec', `sh -c ${shellQuote(sized)}`, '/dev/null'];
        },
        env: { ...process.env, SHELL: '/bin/sh' },
      },
      options,
    );
  }

  async attach(id: string, options: ExecOptions): Promise<ExecSession> {
    const c = this.#record(id);
    if ((await this.containerStatus(id)).state !== 'running') throw new ContainerNotFoundError(`container ${c.name} is not running`);
    return attachContainer(c, join(this.#dir, 'containers', id), this.#outputs, () => this.#pid(c), options.stdin);
  }

  async portForward(sandboxId: string, port: number): Promise<Duplex> {
    const s = this.#sandboxes.get(sandboxId);
    if (!s || s.stopped) throw new SandboxNotFoundError(`pod sandbox ${sandboxId} does not exist or is stopped`);
    return connectTo(s.hostNetwork ? '127.0.0.1' : s.ip, port);
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    const c = this.#record(id);
    if (c.cgroup) {
      const u = await this.#cgroups!.usage(c.cgroup);
      return u ? { ...u, timestamp: new Date().toISOString() } : undefined;
    }
    // Without cgroups: the first process alone, from /proc (clock ticks are 100 Hz on Linux).
    const pid = await this.#pid(c);
    if (!pid) return undefined;
    const stat = (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ') ?? [];
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
    const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0);
    return { cpuUsageNanos: ticks * 10_000_000, memoryWorkingSetBytes: rss, timestamp: new Date().toISOString() };
  }

  /** Stops reading container output without stopping anything (what an agent crash leaves, for a successor to adopt). */
  async release(): Promise<void> {
    await this.#outputs.closeAll();
  }

  async shutdown(): Promise<void> {
    const errors: unknown[] = [];
    await Promise.all([...this.#sandboxes.keys()].map((s) => this.removePodSandbox(s).catch((e) => errors.push(e))));
    for (const c of [...this.#containers.keys()]) await this.removeContainer(c).catch((e) => errors.push(e));
    await this.release();
    if (this.#cgroups) await this.#cgroups.remove('').catch((e) => errors.push(e));
    await rm(this.#dir, { recursive: true, force: true }).catch((e) => errors.push(e));
    if (errors.length) throw new AggregateError(errors, `host runtime shutdown: ${errors.map((e) => (e as Error).message).join('; ')}`);
  }
}
