// What this machine offers a node: cores, memory, swap, huge pages, disk under the data dir, OS identity and its address.
import { readFile, readdir, statfs } from 'node:fs/promises';
import { arch, availableParallelism, networkInterfaces, release } from 'node:os';

/** The facts cAdvisor and the kubelet read from the machine to build a Node's capacity and nodeInfo. */
export interface MachineInfo {
  cpus: number;
  /** MemTotal from /proc/meminfo, in bytes. */
  memoryBytes: number;
  /** SwapTotal from /proc/meminfo, in bytes. */
  swapBytes: number;
  /** One entry per huge page size the kernel supports (e.g. 2048 kB pages), with how many are reserved. */
  hugePages: { sizeKiB: number; count: number }[];
  /** Size of the filesystem holding the data dir (statfs blocks × block size). */
  ephemeralStorageBytes: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  /** GOARCH spelling: amd64, arm64… */
  architecture: string;
  /** The IPv4 address of the interface holding the default route, if any. */
  internalIP: string | undefined;
}

/** Node's os.arch() in Go's GOARCH spelling, which node labels and nodeInfo use. */
export function goArch(nodeArch: string = arch()): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };
  return map[nodeArch] ?? nodeArch;
}

/** Reads `MemTotal`, `SwapTotal`… (kB) from /proc/meminfo text, in bytes. */
export function meminfoBytes(text: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** PRETTY_NAME from /etc/os-release text (what the kubelet reports as osImage), "Linux" when absent. */
export function osImageFrom(text: string): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  if (!m) return 'Linux';
  const raw = m[1]!.trim();
  return raw.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
}

/** The interface of the IPv4 default route in /proc/net/route text (destination 00000000), if any. */
export function defaultRouteInterface(text: string): string | undefined {
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && f[1] === '00000000' && f[7] === '00000000') return f[0];
  }
  return undefined;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/** The address the kubelet falls back to without --node-ip: the default route's interface, else the first non-loopback IPv4. */
function internalIP(routeIface: string | undefined): string | undefined {
  const ifaces = networkInterfaces();
  const v4 = (name: string) => (ifaces[name] ?? []).find((a) => a.family === 'IPv4' && !a.internal)?.address;
  if (routeIface) {
    const a = v4(routeIface);
    if (a) return a;
  }
  for (const name of Object.keys(ifaces)) {
    const a = v4(name);
    if (a) return a;
  }
  return undefined;
}

async function hugePages(): Promise<{ sizeKiB: number; count: number }[]> {
  let dirs: string[];
  try {
    dirs = await readdir('/sys/kernel/mm/hugepages');
  } catch {
    return [];
  }
  const out: { sizeKiB: number; count: number }[] = [];
  for (const d of dirs) {
    const m = /^hugepages-(\d+)kB$/.exec(d);
    if (!m) continue;
    const count = Number((await readText(`/sys/kernel/mm/hugepages/${d}/nr_hugepages`)).trim()) || 0;
    out.push({ sizeKiB: Number(m[1]), count });
  }
  return out.sort((a, b) => a.sizeKiB - b.sizeKiB);
}

/** Reads the machine as the kubelet's cAdvisor does; `dataDir` is where pods' ephemeral storage lives. */
export async function readMachineInfo(dataDir: string): Promise<MachineInfo> {
  const [meminfo, osRelease, machineID, systemUUID, bootID, routes, pages] = await Promise.all([
    readText('/proc/meminfo'),
    readText('/etc/os-release'),
    readText('/etc/machine-id'),
    readText('/sys/class/dmi/id/product_uuid'),
    readText('/proc/sys/kernel/random/boot_id'),
    readText('/proc/net/route'),
    hugePages(),
  ]);
  let ephemeralStorageBytes = 0;
  try {
    const s = await statfs(dataDir);
    ephemeralStorageBytes = Number(s.blocks) * Number(s.bsize);
  } catch {
    // A data dir that cannot be measured reports no ephemeral storage rather than a made-up size.
  }
  return {
    cpus: availableParallelism(),
    memoryBytes: meminfoBytes(meminfo, 'MemTotal'),
    swapBytes: meminfoBytes(meminfo, 'SwapTotal'),
    hugePages: pages,
    ephemeralStorageBytes,
    machineID: machineID.trim(),
    systemUUID: systemUUID.trim(),
    bootID: bootID.trim(),
    kernelVersion: release(),
    osImage: osImageFrom(osRelease),
    architecture: goArch(),
    internalIP: internalIP(defaultRouteInterface(routes)),
  };
}
