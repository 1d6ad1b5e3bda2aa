// CPU time of whole process trees, read from cgroup accounting (cgroup v1 cpuacct or v2 cpu.stat), so a busy machine's other work is not counted.
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cgroupMounts } from './bare-pod-start.ts';

/** The hierarchy that accounts CPU time: v1's cpuacct controller, or the unified v2 mount. */
async function cpuHierarchy(): Promise<{ dir: string; v2: boolean } | undefined> {
  const mounts = await cgroupMounts();
  const v1 = mounts.find((m) => m.split('/').pop()!.split(',').includes('cpuacct'));
  if (v1) return { dir: v1, v2: false };
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const v2 = text.split('\n').find((l) => l.split(' - ')[1]?.startsWith('cgroup2 '));
  return v2 ? { dir: v2.split(' ')[4], v2: true } : undefined;
}

/** CPU seconds used by the group `rel` and its descendants so far (those removed since included); NaN if unknown. */
export async function cgroupCpuSeconds(rel: string): Promise<number> {
  const h = await cpuHierarchy();
  if (!h) return Number.NaN;
  if (h.v2) {
    const m = /^usage_usec (\d+)/m.exec(await readFile(join(h.dir, rel, 'cpu.stat'), 'utf8').catch(() => ''));
    return m ? Number(m[1]) / 1e6 : Number.NaN;
  }
  const text = await readFile(join(h.dir, rel, 'cpuacct.usage'), 'utf8').catch(() => '');
  return text.trim() ? Number(text.trim()) / 1e9 : Number.NaN;
}

/** A group of the bench's own in the CPU hierarchy: processes put in it, and their future children, are accounted together. */
export class CpuAccount {
  readonly name: string;
  #dir: string | undefined;

  constructor(name: string) {
    this.name = name;
  }

  /** Creates the group; false when this host has no CPU accounting the bench can use. */
  async create(): Promise<boolean> {
    const h = await cpuHierarchy();
    if (!h) return false;
    const dir = join(h.dir, this.name);
    try {
      await mkdir(dir);
    } catch {
      return false;
    }
    this.#dir = dir;
    return true;
  }

  /** The file a shell writes `$$` into to join. */
  get procsFile(): string | undefined {
    return this.#dir ? join(this.#dir, 'cgroup.procs') : undefined;
  }

  async add(pid: number): Promise<void> {
    if (this.#dir) await writeFile(join(this.#dir, 'cgroup.procs'), String(pid));
  }

  async seconds(): Promise<number> {
    return this.#dir ? cgroupCpuSeconds(this.name) : Number.NaN;
  }

  /** Removes the group once its processes are gone (retried briefly while the last ones exit). */
  async remove(): Promise<string | undefined> {
    const dir = this.#dir;
    if (!dir) return undefined;
    for (let i = 0; i < 50; i++) {
      try {
        await rmdir(dir);
        this.#dir = undefined;
        return undefined;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return `cgroup ${dir} could not be removed (still in use)`;
  }
}
