// The names of every host object one dabba instance creates, all carrying a short prefix derived from its data directory.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

export interface InstanceNames {
  /** `dbb` and five hex digits of a hash of the data directory: the mark of every host object this instance owns. */
  prefix: string;
  /** The pods' bridge (≤ 15 characters, the kernel's limit for interface names). */
  bridge: string;
  /** The nftables table holding this instance's pod filter rules. */
  nftTable: string;
  /** The CNI network name (also host-local's state folder). */
  cniNetwork: string;
  /** The top cgroup under every controller hierarchy. */
  cgroupRoot: string;
}

export function instanceNames(dataDir: string): InstanceNames {
  const prefix = 'dbb' + createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 5);
  return { prefix, bridge: `${prefix}br0`, nftTable: `${prefix}_pods`, cniNetwork: prefix, cgroupRoot: prefix };
}

/** The pod's network namespace and sandbox id: the prefix and 12 hex digits of a hash of its uid (uids need not be random). */
export function sandboxName(names: InstanceNames, podUid: string): string {
  return `${names.prefix}-${createHash('sha256').update(podUid).digest('hex').slice(0, 12)}`;
}

/** Whether a host object name belongs to this instance (exactly the prefix, then a separator or a suffix we made). */
export function ownsName(names: InstanceNames, name: string): boolean {
  return name === names.bridge || name === names.nftTable || name.startsWith(`${names.prefix}-`);
}
