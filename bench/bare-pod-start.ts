// The bare floor for pod start-up: a shell script per pod doing `ip netns add`, CNI ADD (loopback, bridge + host-local) and `crun run -d`, under the bench's own prefix.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runHostCommand } from '../src/node/network/host-command.ts';
import { cgroupCpuSeconds, CpuAccount } from './cgroup-cpu.ts';

export const cniBinDir = '/usr/lib/cni';
export const netnsDir = '/var/run/netns';

export class BareStartError extends Error {
  readonly code = 'DABBA_BENCH_BARE_START';
}

/**
 * The per-pod script. `$1` is the pod's index; everything else is fixed when the floor is set up. The overlay of the
 * host's root as the image root, the private mount namespace with the cgroup2 mount hidden (crun refuses this
 * host's hybrid cgroups otherwise), the CNI configs and crun's flags are the ones dabba's isolated runtime uses,
 * except that crun manages the container's cgroup itself here (dabba's shim joins a group it made).
 */
export function bareScript(o: { dir: string; prefix: string; crunRoot: string; cpuProcs?: string }): string {
  return [
    '#!/bin/sh',
    'set -e',
    // The bench's accounting only: the start's CPU time is read from this group and the containers' own.
    ...(o.cpuProcs ? [`echo $$ > ${o.cpuProcs}`] : []),
    `D=${o.dir}`,
    `NS=${o.prefix}-$1`,
    'B="$D/bundles/$1"',
    `export CNI_PATH=${cniBinDir} CNI_CONTAINERID="$NS" CNI_NETNS=${netnsDir}/"$NS"`,
    'ip netns add "$NS"',
    `CNI_COMMAND=ADD CNI_IFNAME=lo ${cniBinDir}/loopback < "$D/loopback.json" > /dev/null`,
    `CNI_COMMAND=ADD CNI_IFNAME=eth0 ${cniBinDir}/bridge < "$D/bridge.json" > "$D/results/$1.json"`,
    'mkdir -p "$B/rootfs" "$B/upper" "$B/work"',
    'sed "s|@NS@|$NS|g; s|@ROOTFS@|$B/rootfs|g" "$D/config.template.json" > "$B/config.json"',
    // crun -d returns once the container's process runs; its output goes to a file so nothing holds our pipes.
    'exec unshare -m --propagation private sh -c \'umount /sys/fs/cgroup/unified 2>/dev/null || umount -l /sys/fs/cgroup/unified 2>/dev/null || true; ' +
      'mount -t overlay overlay -o "lowerdir=/,upperdir=$1/upper,workdir=$1/work" "$1/rootfs" && ' +
      `exec crun --root ${o.crunRoot} run -d --bundle "$1" "$2" < /dev/null > "$1/output" 2>&1' sh "$B" "$NS"`,
    '',
  ].join('\n');
}

/** The OCI spec of one bare container: crun's own default (`crun spec`) running `argv` in the pod's netns and a cgroup. */
function specTemplate(argv: string[], cgroupParent: string): Record<string, unknown> {
  const caps = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];
  return {
    ociVersion: '1.0.0',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: argv,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      cwd: '/',
      capabilities: { bounding: caps, effective: caps, inheritable: [], permitted: caps, ambient: caps },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: '@ROOTFS@', readonly: false },
    hostname: '@NS@',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      cgroupsPath: `/${cgroupParent}/@NS@`,
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      namespaces: [{ type: 'pid' }, { type: 'network', path: `${netnsDir}/@NS@` }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      maskedPaths: ['/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/proc/scsi'],
      readonlyPaths: ['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

export interface BareRun {
  /** Per start, spawn of the script to its exit (the container's process is running then). */
  perStartMs: number[];
  wallMs: number;
  /** CPU seconds of every process of the starts: the scripts, their commands, crun, the containers. */
  cpuSeconds: number;
}

/**
 * One bare floor: a bridge `<prefix>br0` holding `subnet`'s first address (so the whole subnet is routed to it and to
 * nothing else), host-local leases in `dir`, containers under crun's state dir in `dir`. `cleanup()` removes
 * everything by exact name, also after a failure half-way.
 */
export class BareFloor {
  readonly prefix: string;
  readonly bridge: string;
  readonly dir: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly crunRoot: string;
  readonly argv: string[];
  readonly cpu: CpuAccount;
  readonly #started = new Set<string>();
  #bridgeMade = false;
  #next = 0;

  constructor(dir: string, subnet: string, argv: string[]) {
    this.prefix = `bnch${randomBytes(3).toString('hex')}`;
    this.bridge = `${this.prefix}br0`;
    this.dir = dir;
    this.subnet = subnet;
    const [base, bits] = subnet.split('/');
    if (bits !== '24') throw new BareStartError(`the bare floor wants a /24, got ${subnet}`);
    this.gateway = base.replace(/\.0$/, '.1');
    this.crunRoot = join(dir, 'crun');
    this.argv = argv;
    this.cpu = new CpuAccount(`${this.prefix}-cpu`);
  }

  get scriptPath(): string {
    return join(this.dir, 'start-pod.sh');
  }

  /** The network config, as dabba's PodNetwork builds it (bridge without isGateway, no masquerade, hairpin; default route via the bridge). */
  bridgeConfig(): Record<string, unknown> {
    return {
      cniVersion: '1.0.0',
      name: this.prefix,
      type: 'bridge',
      bridge: this.bridge,
      isGateway: false,
      ipMasq: false,
      hairpinMode: true,
      ipam: {
        type: 'host-local',
        dataDir: join(this.dir, 'ipam'),
        ranges: [[{ subnet: this.subnet, gateway: this.gateway }]],
        routes: [{ dst: '0.0.0.0/0', gw: this.gateway }],
      },
    };
  }

  async setUp(): Promise<void> {
    for (const d of ['ipam', 'crun', 'bundles', 'results']) await mkdir(join(this.dir, d), { recursive: true });
    await writeFile(join(this.dir, 'loopback.json'), JSON.stringify({ cniVersion: '1.0.0', name: this.prefix, type: 'loopback' }));
    await writeFile(join(this.dir, 'bridge.json'), JSON.stringify(this.bridgeConfig()));
    await writeFile(join(this.dir, 'config.template.json'), JSON.stringify(specTemplate(this.argv, this.prefix), null, 1));
    const accounted = await this.cpu.create();
    await writeFile(this.scriptPath, bareScript({ dir: this.dir, prefix: this.prefix, crunRoot: this.crunRoot, cpuProcs: accounted ? this.cpu.procsFile : undefined }), { mode: 0o755 });
    await runHostCommand('ip', ['link', 'add', 'name', this.bridge, 'type', 'bridge']);
    this.#bridgeMade = true;
    await runHostCommand('ip', ['addr', 'add', `${this.gateway}/24`, 'dev', this.bridge]);
    await runHostCommand('ip', ['link', 'set', this.bridge, 'up']);
    // The connected route of the bridge's address covers the subnet; check that the last address goes there, not out.
    const last = this.subnet.replace(/\.0\/24$/, '.254');
    const { stdout } = await runHostCommand('ip', ['-j', 'route', 'get', last]);
    const [r] = JSON.parse(stdout) as { dev?: string; gateway?: string }[];
    if (r?.dev !== this.bridge || r.gateway) throw new BareStartError(`a packet to ${last} would leave through ${r?.gateway ?? r?.dev}, not ${this.bridge}`);
  }

  /** Runs the script for the next pod index; resolves with its duration. */
  startOne(): Promise<number> {
    const i = this.#next++;
    this.#started.add(`${this.prefix}-${i}`);
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const p = spawn('sh', [this.scriptPath, String(i)], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (b: Buffer) => (err += b.toString()));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new BareStartError(`bare start ${i} exited with ${code}: ${err.trim()}`))));
    });
  }

  /** CPU seconds of the scripts' group and of crun's groups for the containers. */
  async cpuSeconds(): Promise<number> {
    return (await this.cpu.seconds()) + ((await cgroupCpuSeconds(this.prefix)) || 0);
  }

  /** `n` starts one after the other. */
  async sequential(n: number): Promise<BareRun> {
    const c0 = await this.cpuSeconds();
    const t0 = performance.now();
    const perStartMs: number[] = [];
    for (let i = 0; i < n; i++) perStartMs.push(await this.startOne());
    return { perStartMs, wallMs: performance.now() - t0, cpuSeconds: (await this.cpuSeconds()) - c0 };
  }

  /** `n` starts all at once (as dabba's pod workers run: one per pod, none waiting for another). */
  async parallel(n: number): Promise<BareRun> {
    const c0 = await this.cpuSeconds();
    const t0 = performance.now();
    const perStartMs = await Promise.all(Array.from({ length: n }, () => this.startOne()));
    return { perStartMs, wallMs: performance.now() - t0, cpuSeconds: (await this.cpuSeconds()) - c0 };
  }

  /** The host pids of the running bare containers (for memory figures). */
  async containerPids(): Promise<number[]> {
    const pids: number[] = [];
    for (const ns of this.#started) {
      const { stdout } = await runHostCommand('crun', ['--root', this.crunRoot, 'state', ns]).catch(() => ({ stdout: '' }));
      const pid = stdout ? (JSON.parse(stdout) as { pid?: number }).pid : undefined;
      if (pid) pids.push(pid);
    }
    return pids;
  }

  /** Removes every container, namespace, cgroup and the bridge this floor made, by exact name. Safe to repeat. */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    const inPrivateMounts = (args: string[]) =>
      runHostCommand('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'umount /sys/fs/cgroup/unified 2>/dev/null || umount -l /sys/fs/cgroup/unified 2>/dev/null || true; exec "$@"', 'sh', ...args]);
    const ids = await readdir(this.crunRoot).catch(() => [] as string[]);
    for (const id of ids) {
      if (!this.#started.has(id)) continue;
      await inPrivateMounts(['crun', '--root', this.crunRoot, 'delete', '--force', id]).catch((e) => problems.push(`crun delete ${id}: ${(e as Error).message}`));
    }
    for (const ns of this.#started) {
      const env = { ...process.env, CNI_PATH: cniBinDir, CNI_CONTAINERID: ns, CNI_NETNS: join(netnsDir, ns), CNI_IFNAME: 'eth0', CNI_COMMAND: 'DEL' };
      await runHostCommand(join(cniBinDir, 'bridge'), [], { input: JSON.stringify(this.bridgeConfig()), env }).catch((e) => problems.push(`CNI DEL ${ns}: ${(e as Error).message}`));
      await runHostCommand('ip', ['netns', 'delete', ns]).catch((e) => {
        if (!/No such file/.test(String((e as { stderr?: string }).stderr))) problems.push(`ip netns delete ${ns}: ${(e as Error).message}`);
      });
    }
    // crun's cgroupfs manager made /<prefix>/<ns> in every hierarchy; delete removed the leaves.
    for (const mount of await cgroupMounts()) {
      const group = join(mount, this.prefix);
      for (const ns of this.#started) await rmdir(join(group, ns)).catch(() => undefined);
      await rmdir(group).catch((e) => {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`rmdir ${group}: ${(e as Error).message}`);
      });
    }
    if (this.#bridgeMade) {
      await runHostCommand('ip', ['link', 'delete', this.bridge, 'type', 'bridge']).catch((e) => problems.push(`ip link delete ${this.bridge}: ${(e as Error).message}`));
      this.#bridgeMade = false;
    }
    const cpuProblem = await this.cpu.remove();
    if (cpuProblem) problems.push(cpuProblem);
    // Bundles hold overlay mounts only inside the containers' private mount namespaces, gone with them.
    await rm(this.dir, { recursive: true, force: true }).catch((e) => problems.push(`rm ${this.dir}: ${(e as Error).message}`));
    this.#started.clear();
    return problems;
  }
}

/** Every cgroup hierarchy's mount point on this host. */
export async function cgroupMounts(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (!post) continue;
    const fstype = post.split(' ')[0];
    if (fstype === 'cgroup' || fstype === 'cgroup2') out.push(pre.split(' ')[4]);
  }
  return [...new Set(out)];
}
