// Gives each test cluster its own pod and Service ranges, so that clusters started by test files running in parallel can all run isolated pods.
import { open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NetworkRanges {
  podCIDR: string;
  serviceCIDR: string;
  /** Gives the ranges back for another cluster. */
  release(): Promise<void>;
}

const lockPath = (n: number) => join(tmpdir(), `dabba-e2e-ranges-${n}.lock`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Leases block n (1–250): pods 10.200.n.0/24, Services 10.201.n.0/24. A lock file in the temp directory holds the
 * owner's PID; the lock of a process that is gone is taken over.
 */
export async function leaseNetworkRanges(): Promise<NetworkRanges> {
  const start = 1 + (process.pid % 250);
  for (let i = 0; i < 250; i++) {
    const n = 1 + ((start - 1 + i) % 250);
    const path = lockPath(n);
    try {
      const f = await open(path, 'wx');
      await f.writeFile(String(process.pid));
      await f.close();
    } catch {
      // An empty lock is being written by its owner right now: leave it.
      const owner = Number(await readFile(path, 'utf8').catch(() => '0'));
      if (!owner || alive(owner)) continue;
      await rm(path, { force: true });
      i--; // the owner is gone: try the same block again
      continue;
    }
    return { podCIDR: `10.200.${n}.0/24`, serviceCIDR: `10.201.${n}.0/24`, release: () => rm(path, { force: true }) };
  }
  throw new Error('no free e2e network block (250 are leased by live processes)');
}
