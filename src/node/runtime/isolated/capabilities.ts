// A container's Linux capabilities: the container runtimes' default set, securityContext add/drop (with ALL), and privileged.
import { readFileSync } from 'node:fs';

/** The set containerd and CRI-O give a container unless told otherwise. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** Capability numbers as the kernel defines them (include/uapi/linux/capability.h). */
export const CAPABILITY_NAMES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW',
  'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD',
  'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** The capabilities in a /proc/<pid>/status mask (CapBnd, CapEff…). */
export function capabilitiesInMask(hex: string): string[] {
  const mask = BigInt(`0x${hex}`);
  return CAPABILITY_NAMES.filter((_, i) => (mask >> BigInt(i)) & 1n);
}

function statusMask(field: 'CapBnd' | 'CapEff', statusFile: string): string[] | undefined {
  try {
    const m = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(readFileSync(statusFile, 'utf8'));
    return m ? capabilitiesInMask(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** What this process may hand to a container: its own bounding set (a container cannot get more). */
export function hostBoundingSet(statusFile = '/proc/self/status'): string[] {
  return statusMask('CapBnd', statusFile) ?? CAPABILITY_NAMES;
}

/** The capabilities this process has in effect (CAP_SYS_RESOURCE decides whether OOM scores may go below 0). */
export function effectiveCapabilities(statusFile = '/proc/self/status'): string[] {
  return statusMask('CapEff', statusFile) ?? [];
}

function normalize(name: string): string {
  const upper = name.toUpperCase();
  return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/** Kubernetes' rules: drop first (ALL empties the set), then add (ALL gives every one); privileged gets everything. */
export function containerCapabilities(opts: { add: string[]; drop: string[]; privileged: boolean }, bounding = hostBoundingSet()): string[] {
  const allowed = new Set(bounding);
  if (opts.privileged) return CAPABILITY_NAMES.filter((c) => allowed.has(c));
  const drop = opts.drop.map(normalize);
  const add = opts.add.map(normalize);
  let caps = new Set(drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)));
  if (add.includes('ALL')) caps = new Set(CAPABILITY_NAMES);
  for (const c of add) if (c !== 'ALL' && CAPABILITY_NAMES.includes(c)) caps.add(c);
  return CAPABILITY_NAMES.filter((c) => caps.has(c) && allowed.has(c));
}
