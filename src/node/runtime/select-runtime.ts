// Chooses the container runtime (`--runtime auto|isolated|host`) from what this host offers, with the reasons and the apt-get line for what is missing.
import { accessSync, constants, existsSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectCgroups, type CgroupMode } from './cgroups/cgroup-tree.ts';
import { HostRuntime } from './host/host-runtime.ts';
import { effectiveCapabilities } from './isolated/capabilities.ts';
import { IsolatedRuntime, type IsolatedRuntimeOptions } from './isolated/isolated-runtime.ts';
import type { OciRuntimeName } from './isolated/oci-runtime.ts';
import type { RuntimeLogger } from './runtime-errors.ts';
import type { ContainerRuntime } from './runtime.ts';

export type RuntimeMode = 'auto' | 'isolated' | 'host';

export class RuntimeUnavailableError extends Error {
  readonly code = 'NODE_ERR_RUNTIME_UNAVAILABLE';
}

export const CNI_PLUGINS = ['bridge', 'host-local', 'loopback', 'portmap'];
const CNI_DIRS = ['/usr/lib/cni', '/opt/cni/bin'];

/** What the host has, as far as the runtimes care. */
export interface HostProbe {
  platform: NodeJS.Platform;
  root: boolean;
  tools: Record<string, string | undefined>;
  cniDir?: string;
  cniMissing: string[];
  cgroupMode: CgroupMode;
  cgroupWritable: boolean;
  overlay: boolean;
  /** CAP_SYS_RESOURCE: lets Guaranteed pods get a negative OOM score. */
  lowerOomScore: boolean;
}

/** One missing piece and the Debian package that brings it. */
export interface Missing {
  what: string;
  debianPackage: string;
}

export interface RuntimeChoice {
  kind: 'isolated' | 'host';
  ociRuntime?: OciRuntimeName;
  /** Why this runtime (each a sentence). */
  reasons: string[];
  /** What the isolated runtime would need and lacks. */
  missing: Missing[];
  /** `apt-get install …` for everything missing, when that can fix it. */
  fix?: string;
  /** Things that work with a caveat on this host. */
  notes: string[];
}

const TOOL_PACKAGES: Record<string, string> = {
  crun: 'crun',
  runc: 'runc',
  ip: 'iproute2',
  nft: 'nftables',
  unshare: 'util-linux',
  mount: 'mount',
  setpriv: 'util-linux',
  script: 'bsdutils',
  stty: 'coreutils',
  mkfifo: 'coreutils',
};

/** The directories searched for tools, in order: PATH, then the usual system ones. */
function searchPath(): string[] {
  return [...new Set([...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'])].filter(Boolean);
}

/**
 * Where each of `names` is found first in the search path (an executable file), or undefined. Synchronous on
 * purpose: a few dozen lookups of cached directory entries take well under a millisecond, less than the promise
 * machinery of asking the thread pool for each.
 */
function which(names: string[]): (string | undefined)[] {
  const dirs = searchPath();
  const executable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  return names.map((name) => dirs.map((d) => join(d, name)).find(executable));
}

export async function probeHost(): Promise<HostProbe> {
  const names = Object.keys(TOOL_PACKAGES);
  const paths = which(names);
  const layout = await detectCgroups();
  const tools: Record<string, string | undefined> = Object.fromEntries(names.map((t, i) => [t, paths[i]]));
  const cniDir = CNI_DIRS.find((d) => existsSync(join(d, 'bridge'))) ?? CNI_DIRS[0];
  const cniMissing = CNI_PLUGINS.filter((p) => !existsSync(join(cniDir, p)));
  const root = process.getuid?.() === 0;
  let cgroupWritable = false;
  if (root && layout.mode !== 'none') {
    const probeDir = layout.mode === 'v2' ? layout.mounts.get('unified') : layout.mounts.get('memory');
    // Writable if we may create a group: try the permission bits rather than creating anything.
    cgroupWritable = probeDir ? await access(probeDir, constants.W_OK).then(() => true, () => false) : false;
  }
  const filesystems = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  return {
    platform: process.platform,
    root,
    tools,
    cniDir: cniMissing.length < CNI_PLUGINS.length ? cniDir : undefined,
    cniMissing,
    cgroupMode: layout.mode,
    cgroupWritable,
    overlay: /\boverlay\b/.test(filesystems),
    lowerOomScore: effectiveCapabilities().includes('CAP_SYS_RESOURCE'),
  };
}

/** The runtime `mode` gives on a host like `probe`, and why. Throws when `isolated` was asked for and cannot work. */
export function chooseRuntime(mode: RuntimeMode, probe: HostProbe, prefer?: OciRuntimeName): RuntimeChoice {
  const missing: Missing[] = [];
  const blockers: string[] = [];
  const notes: string[] = [];
  if (probe.platform !== 'linux') blockers.push(`this is ${probe.platform}, and containers need Linux namespaces and cgroups`);
  if (!probe.root) blockers.push('dabba is not running as root (network namespaces, mounts and cgroups need it)');
  const oci: OciRuntimeName | undefined = prefer && probe.tools[prefer] ? prefer : probe.tools.crun ? 'crun' : probe.tools.runc ? 'runc' : undefined;
  if (!oci) missing.push({ what: 'an OCI runtime (crun or runc)', debianPackage: 'crun' });
  if (probe.cniMissing.length) missing.push({ what: `CNI plugins ${probe.cniMissing.join(', ')}`, debianPackage: 'containernetworking-plugins' });
  for (const t of ['ip', 'nft', 'unshare', 'mount', 'mkfifo']) if (!probe.tools[t]) missing.push({ what: t, debianPackage: TOOL_PACKAGES[t] });
  if (probe.cgroupMode === 'none') blockers.push('no cgroup hierarchy is mounted');
  else if (probe.root && !probe.cgroupWritable) blockers.push(`the cgroup hierarchy (${probe.cgroupMode}) is not writable`);
  if (!probe.overlay) blockers.push('the kernel has no overlay filesystem (containers get a private writable layer over a read-only image)');
  const packages = [...new Set(missing.map((m) => m.debianPackage))];
  const fix = packages.length ? `apt-get install -y --no-install-recommends ${packages.join(' ')}` : undefined;
  const isolatedOk = blockers.length === 0 && missing.length === 0;

  if (probe.cgroupMode === 'hybrid' && oci === 'crun') notes.push('cgroups are hybrid (v1 + cgroup2): crun runs with its cgroup manager off, inside a group dabba made, in a mount namespace without the cgroup2 mount');
  if (probe.cgroupMode === 'v2') notes.push('cgroup v2: device access is not restricted by a cgroup (crun runs with its cgroup manager off); this path is less tested than v1/hybrid');
  if (!probe.lowerOomScore) notes.push('no CAP_SYS_RESOURCE: OOM score adjustments below 0 (Guaranteed pods) are raised to 0');

  const why = [...blockers, ...missing.map((m) => `missing ${m.what} (Debian package ${m.debianPackage})`)];
  if (mode === 'isolated' && !isolatedOk) {
    throw new RuntimeUnavailableError(`--runtime isolated cannot work here: ${why.join('; ')}${fix ? `; to fix: ${fix}` : ''}`);
  }
  if (mode === 'host' || !isolatedOk) {
    const reasons = mode === 'host' ? ['--runtime host was asked for'] : why;
    const hostNotes = [
      'host runtime: containers are plain processes with weaker isolation (shared filesystem, network namespace and process table; volumes are not mounted, paths under them are rewritten to host paths)',
      probe.root && probe.cgroupWritable ? 'as root, memory/CPU limits still apply through cgroups' : 'without root: no memory or CPU limits, no OOMKilled, runAsUser not applied',
      ...notes,
    ];
    return { kind: 'host', reasons, missing, ...(fix ? { fix } : {}), notes: hostNotes };
  }
  const reasons = [
    mode === 'isolated' ? '--runtime isolated was asked for' : 'root on Linux with everything the isolated runtime needs',
    `${oci} ${oci === 'crun' ? '(faster to start and lighter than runc)' : '(crun is not installed)'} runs containers; CNI plugins in ${probe.cniDir}`,
  ];
  return { kind: 'isolated', ociRuntime: oci, reasons, missing, notes };
}

export interface CreateRuntimeOptions extends Omit<IsolatedRuntimeOptions, 'ociRuntime' | 'log'> {
  log?: RuntimeLogger;
}

export function createRuntime(choice: RuntimeChoice, options: CreateRuntimeOptions, probe?: HostProbe): ContainerRuntime {
  if (choice.kind === 'isolated') return new IsolatedRuntime({ ...options, ociRuntime: choice.ociRuntime, cniBinDir: options.cniBinDir ?? probe?.cniDir });
  return new HostRuntime({ dataDir: options.dataDir, log: options.log });
}

/** probe → choose, for the composition root, which creates the runtime (createRuntime) once the API server listens. */
export async function selectRuntime(mode: RuntimeMode): Promise<{ probe: HostProbe; choice: RuntimeChoice }> {
  const probe = await probeHost();
  const prefer = process.env.DABBA_OCI_RUNTIME === 'runc' || process.env.DABBA_OCI_RUNTIME === 'crun' ? process.env.DABBA_OCI_RUNTIME : undefined;
  return { probe, choice: chooseRuntime(mode, probe, prefer) };
}
