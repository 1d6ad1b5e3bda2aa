// This instance's cgroups (`<prefix>/pod<uid>/<container>`) on cgroup v1, hybrid or v2 hosts: limits, OOM kills, usage, removal and sweeping.
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type CgroupMode = 'v1' | 'hybrid' | 'v2' | 'none';

export class CgroupError extends Error {
  readonly code = 'NODE_ERR_CGROUP';
}

/** The limits one container's cgroup carries. */
export interface CgroupLimits {
  cpuShares: number;
  cpuQuotaUs?: number;
  cpuPeriodUs: number;
  memoryLimitBytes?: number;
  /** Restrict device nodes to the usual container set (null, zero, random, tty, pts…) unless privileged. */
  restrictDevices: boolean;
}

export interface CgroupUsage {
  cpuUsageNanos: number;
  memoryWorkingSetBytes: number;
}

/** v1 controllers a container joins (cpuset is left out: a new v1 cpuset group starts with no CPUs). */
const V1_JOINED = ['memory', 'cpu', 'cpuacct', 'pids', 'devices', 'freezer', 'blkio'];

/** The device nodes a non-privileged container may use, as container runtimes allow by default. */
const DEFAULT_DEVICES = ['c 1:3 rwm', 'c 1:5 rwm', 'c 1:7 rwm', 'c 1:8 rwm', 'c 1:9 rwm', 'c 5:0 rwm', 'c 5:1 rwm', 'c 5:2 rwm', 'c 136:* rwm', 'c 10:200 rwm'];

export interface CgroupLayout {
  mode: CgroupMode;
  /** v1: controller → mount point; v2: 'unified' → mount point. */
  mounts: Map<string, string>;
  /** Every cgroup hierarchy's mount point (runc creates its groups in all of them: cpuset, name=systemd, unified…). */
  all: string[];
}

/** Reads the cgroup mounts from /proc/self/mountinfo. */
export async function detectCgroups(mountinfo = '/proc/self/mountinfo'): Promise<CgroupLayout> {
  const text = await readFile(mountinfo, 'utf8').catch(() => '');
  const mounts = new Map<string, string>();
  const all: string[] = [];
  let v2: string | undefined;
  for (const line of text.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!post) continue;
    const fields = pre.split(' ');
    const [fstype, , superOptions] = post.split(' ');
    const mountPoint = fields[4];
    if ((fstype === 'cgroup' || fstype === 'cgroup2') && !all.includes(mountPoint)) all.push(mountPoint);
    if (fstype === 'cgroup2') v2 ??= mountPoint;
    if (fstype === 'cgroup') {
      for (const opt of superOptions.split(',')) if (V1_JOINED.includes(opt) && !mounts.has(opt)) mounts.set(opt, mountPoint);
    }
  }
  if (mounts.size > 0) {
    if (v2) mounts.set('unified', v2);
    return { mode: v2 ? 'hybrid' : 'v1', mounts, all };
  }
  if (v2) return { mode: 'v2', mounts: new Map([['unified', v2]]), all: [v2] };
  return { mode: 'none', mounts, all };
}

async function readNumber(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

async function readKeyed(file: string): Promise<Map<string, number>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out.set(k, Number(v));
  }
  return out;
}

/** cgroup v1 cpu.shares → v2 cpu.weight, the conversion runc and crun use. */
export function sharesToWeight(shares: number): number {
  return Math.max(1, Math.min(10000, 1 + Math.floor(((shares - 2) * 9999) / 262142)));
}

export class CgroupTree {
  readonly layout: CgroupLayout;
  /** The top group, e.g. `dbb3f9a1`. */
  readonly root: string;

  constructor(layout: CgroupLayout, root: string) {
    this.layout = layout;
    this.root = root;
  }

  /** The directories a process joins, one per controller hierarchy dabba uses (v2: one). */
  dirs(rel: string): string[] {
    const rest = rel ? join(this.root, rel) : this.root;
    if (this.layout.mode === 'v2') return [join(this.layout.mounts.get('unified')!, rest)];
    const seen = new Set<string>();
    for (const [controller, mount] of this.layout.mounts) if (controller !== 'unified') seen.add(join(mount, rest));
    return [...seen];
  }

  /** The group's directory in every hierarchy, whoever created it (for listing and removal). */
  allDirs(rel: string): string[] {
    const rest = rel ? join(this.root, rel) : this.root;
    return [...new Set([...this.dirs(rel), ...this.layout.all.map((m) => join(m, rest))])];
  }

  #dir(controller: string, rel: string): string | undefined {
    const mount = this.layout.mode === 'v2' ? this.layout.mounts.get('unified') : this.layout.mounts.get(controller);
    return mount ? join(mount, this.root, rel) : undefined;
  }

  /** The `cgroup.procs` files a process writes its pid into to join this group. */
  procsFiles(rel: string): string[] {
    return this.dirs(rel).map((d) => join(d, 'cgroup.procs'));
  }

  /** Creates the group (and its parents) in every hierarchy and writes its limits. */
  async create(rel: string, limits?: CgroupLimits): Promise<void> {
    if (this.layout.mode === 'none') throw new CgroupError('no cgroup hierarchy is mounted');
    if (this.layout.mode === 'v2') await this.#enableV2Controllers(rel);
    for (const dir of this.dirs(rel)) await mkdir(dir, { recursive: true });
    if (!limits) return;
    try {
      if (this.layout.mode === 'v2') await this.#writeV2(rel, limits);
      else await this.#writeV1(rel, limits);
    } catch (e) {
      throw new CgroupError(`writing the limits of cgroup ${this.root}/${rel}: ${(e as Error).message}`, { cause: e });
    }
  }

  async #enableV2Controllers(rel: string): Promise<void> {
    const mount = this.layout.mounts.get('unified')!;
    const parts = [this.root, ...rel.split('/').filter(Boolean)];
    let dir = mount;
    for (let i = 0; i < parts.length; i++) {
      // Enable controllers for children at every level above the leaf (the leaf holds the processes).
      await writeFile(join(dir, 'cgroup.subtree_control'), '+cpu +memory +pids').catch(() => {});
      dir = join(dir, parts[i]);
      await mkdir(dir, { recursive: true });
    }
  }

  async #writeV1(rel: string, l: CgroupLimits): Promise<void> {
    const cpu = this.#dir('cpu', rel);
    if (cpu) {
      await writeFile(join(cpu, 'cpu.shares'), String(Math.max(2, l.cpuShares)));
      await writeFile(join(cpu, 'cpu.cfs_period_us'), String(l.cpuPeriodUs));
      await writeFile(join(cpu, 'cpu.cfs_quota_us'), String(l.cpuQuotaUs ?? -1));
    }
    const mem = this.#dir('memory', rel);
    if (mem && l.memoryLimitBytes !== undefined) await writeFile(join(mem, 'memory.limit_in_bytes'), String(l.memoryLimitBytes));
    const dev = this.#dir('devices', rel);
    if (dev && l.restrictDevices) {
      await writeFile(join(dev, 'devices.deny'), 'a');
      for (const rule of DEFAULT_DEVICES) await writeFile(join(dev, 'devices.allow'), rule);
    }
  }

  async #writeV2(rel: string, l: CgroupLimits): Promise<void> {
    const dir = this.#dir('unified', rel)!;
    await writeFile(join(dir, 'cpu.weight'), String(sharesToWeight(l.cpuShares))).catch(() => {});
    await writeFile(join(dir, 'cpu.max'), `${l.cpuQuotaUs ?? 'max'} ${l.cpuPeriodUs}`).catch(() => {});
    if (l.memoryLimitBytes !== undefined) await writeFile(join(dir, 'memory.max'), String(l.memoryLimitBytes));
  }

  /** How many processes the kernel's OOM killer killed in this group. */
  async oomKills(rel: string): Promise<number> {
    const dir = this.#dir('memory', rel);
    if (!dir) return 0;
    const file = this.layout.mode === 'v2' ? 'memory.events' : 'memory.oom_control';
    return (await readKeyed(join(dir, file))).get('oom_kill') ?? 0;
  }

  /** CPU time and working set (usage minus inactive file pages, as the kubelet computes it). */
  async usage(rel: string): Promise<CgroupUsage | undefined> {
    if (this.layout.mode === 'v2') {
      const dir = this.#dir('unified', rel)!;
      const cpu = await readKeyed(join(dir, 'cpu.stat'));
      const current = await readNumber(join(dir, 'memory.current'));
      if (current === undefined) return undefined;
      const inactive = (await readKeyed(join(dir, 'memory.stat'))).get('inactive_file') ?? 0;
      return { cpuUsageNanos: (cpu.get('usage_usec') ?? 0) * 1000, memoryWorkingSetBytes: Math.max(0, current - inactive) };
    }
    const cpuDir = this.#dir('cpuacct', rel);
    const memDir = this.#dir('memory', rel);
    const usage = memDir ? await readNumber(join(memDir, 'memory.usage_in_bytes')) : undefined;
    if (usage === undefined) return undefined;
    const inactive = (await readKeyed(join(memDir!, 'memory.stat'))).get('total_inactive_file') ?? 0;
    const cpu = cpuDir ? ((await readNumber(join(cpuDir, 'cpuacct.usage'))) ?? 0) : 0;
    return { cpuUsageNanos: cpu, memoryWorkingSetBytes: Math.max(0, usage - inactive) };
  }

  /** The pids in the group and its children. */
  async pids(rel: string): Promise<number[]> {
    const out = new Set<number>();
    const walk = async (dir: string) => {
      const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
      for (const p of procs.split('\n')) if (p.trim()) out.add(Number(p));
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) if (e.isDirectory()) await walk(join(dir, e.name));
    };
    for (const dir of this.allDirs(rel)) await walk(dir);
    return [...out];
  }

  /** Kills what still runs in the group (by pid), then removes it and its children in every hierarchy. */
  async remove(rel: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const pids = await this.pids(rel);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      const failures: string[] = [];
      for (const dir of this.allDirs(rel)) await removeTree(dir, failures);
      if (failures.length === 0) return;
      if (attempt >= 50) throw new CgroupError(`cgroup ${this.root}/${rel} could not be removed: ${failures.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The names of the direct children of a group (`''` is the instance's top group). */
  async children(rel: string): Promise<string[]> {
    const names = new Set<string>();
    for (const dir of this.allDirs(rel)) {
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) if (e.isDirectory()) names.add(e.name);
    }
    return [...names];
  }
}

async function removeTree(dir: string, failures: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return;
  for (const e of entries) if (e.isDirectory()) await removeTree(join(dir, e.name), failures);
  try {
    await rmdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failures.push(`${dir}: ${(e as NodeJS.ErrnoException).code}`);
  }
}
