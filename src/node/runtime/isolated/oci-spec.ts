// Builds a container's OCI runtime spec (config.json) from the runtime contract's ContainerConfig: process, mounts, namespaces, security.
import type { ContainerConfig, Mount } from '../runtime.ts';
import { containerCapabilities } from './capabilities.ts';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface OciSpecInput {
  config: ContainerConfig;
  /** The bundle's rootfs directory (the shim mounts the image's overlay there). */
  rootfsPath: string;
  hostname: string;
  /** The pod's network namespace; undefined shares the host's (hostNetwork). */
  netnsPath?: string;
  /** Files shared by the pod's containers. */
  etcFiles: { hosts: string; resolvConf: string; hostname: string };
  /** Host paths a container must never see (the data directory): covered by an empty read-only tmpfs. */
  hiddenPaths: string[];
  /** The image is the host's own root: give it a fresh /tmp and /run instead of the host's. */
  hostRoot: boolean;
  /** The OOM score adjustment this host allows (without CAP_SYS_RESOURCE it cannot go below 0). */
  oomScoreAdj: number;
  /** runc only: cgroup path and limits; crun runs with its cgroup manager disabled inside a group the shim joined. */
  cgroup?: { path: string; limits: ContainerConfig['resources']; restrictDevices: boolean };
  bounding?: string[];
}

/** `$(VAR)`-free argv and env are the agent's job; this merges image env under the container's. */
export function containerEnv(config: ContainerConfig, hostname: string): string[] {
  const env = new Map<string, string>([['PATH', DEFAULT_PATH], ['HOSTNAME', hostname]]);
  for (const [k, v] of Object.entries(config.image.env)) env.set(k, v);
  for (const [k, v] of config.env) env.set(k, v);
  // containerd's WithTTY: a terminal says what it is.
  if (config.tty && !env.has('TERM')) env.set('TERM', 'xterm');
  return [...env].map(([k, v]) => `${k}=${v}`);
}

function bind(m: Mount): OciMount {
  if (m.tmpfsBytes !== undefined) {
    return { destination: m.containerPath, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', `size=${m.tmpfsBytes}`, 'mode=1777', ...(m.readOnly ? ['ro'] : [])] };
  }
  return { destination: m.containerPath, type: 'bind', source: m.hostPath, options: ['rbind', 'rprivate', m.readOnly ? 'ro' : 'rw'] };
}

export function ociSpec(input: OciSpecInput): Record<string, unknown> {
  const { config } = input;
  const sec = config.security;
  const privileged = sec.privileged;
  const caps = containerCapabilities({ add: sec.capabilitiesAdd, drop: sec.capabilitiesDrop, privileged }, input.bounding);
  const uid = sec.runAsUser ?? config.image.user;
  const mounts: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    privileged
      ? { destination: '/dev', type: 'bind', source: '/dev', options: ['rbind', 'rprivate', 'rw'] }
      : { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    ...(privileged
      ? []
      : [
          { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
          { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
          { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
        ]),
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'] },
  ];
  if (input.hostRoot) {
    // An image is empty at /tmp and /run; the host's are private to the host.
    const ro = sec.readOnlyRootFilesystem ? ['ro'] : [];
    mounts.push({ destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777', 'size=256m', ...ro] });
    mounts.push({ destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=755', 'size=64m', ...ro] });
  }
  mounts.push({ destination: '/etc/hosts', type: 'bind', source: input.etcFiles.hosts, options: ['rbind', 'rprivate', 'ro'] });
  mounts.push({ destination: '/etc/resolv.conf', type: 'bind', source: input.etcFiles.resolvConf, options: ['rbind', 'rprivate', 'ro'] });
  mounts.push({ destination: '/etc/hostname', type: 'bind', source: input.etcFiles.hostname, options: ['rbind', 'rprivate', 'ro'] });
  for (const m of config.image.mounts ?? []) mounts.push(bind(m));
  for (const m of config.mounts) mounts.push(bind(m));

  const namespaces: { type: string; path?: string }[] = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }];
  if (input.netnsPath) namespaces.push({ type: 'network', path: input.netnsPath });

  const linux: Record<string, unknown> = {
    namespaces,
    maskedPaths: privileged
      ? [...input.hiddenPaths]
      : ['/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', ...input.hiddenPaths],
    readonlyPaths: privileged ? [] : ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  };
  if (input.cgroup) {
    const l = input.cgroup.limits;
    linux.cgroupsPath = input.cgroup.path;
    linux.resources = {
      devices: input.cgroup.restrictDevices ? [{ allow: false, access: 'rwm' }, ...defaultDeviceRules()] : [{ allow: true, access: 'rwm' }],
      cpu: { shares: Math.max(2, l.cpuShares), period: l.cpuPeriodUs, ...(l.cpuQuotaUs !== undefined ? { quota: l.cpuQuotaUs } : {}) },
      ...(l.memoryLimitBytes !== undefined ? { memory: { limit: l.memoryLimitBytes } } : {}),
    };
  }

  return {
    ociVersion: '1.0.2',
    process: {
      terminal: config.tty,
      user: { uid, gid: sec.runAsGroup ?? 0, ...(sec.supplementalGroups.length ? { additionalGids: sec.supplementalGroups } : {}) },
      args: config.argv,
      env: containerEnv(config, input.hostname),
      cwd: config.workingDir || config.image.workingDir || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: !sec.allowPrivilegeEscalation && !privileged,
      oomScoreAdj: input.oomScoreAdj,
    },
    root: { path: input.rootfsPath, readonly: sec.readOnlyRootFilesystem },
    hostname: input.hostname,
    mounts,
    linux,
  };
}

function defaultDeviceRules(): { allow: boolean; type: string; major: number; minor?: number; access: string }[] {
  const c = (major: number, minor?: number) => ({ allow: true, type: 'c', major, ...(minor !== undefined ? { minor } : {}), access: 'rwm' });
  return [c(1, 3), c(1, 5), c(1, 7), c(1, 8), c(1, 9), c(5, 0), c(5, 1), c(5, 2), c(136), c(10, 200)];
}
