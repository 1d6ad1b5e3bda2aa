// Sweeps what dabba instances left behind after their data directory was deleted (a killed test run): found by the bridge alias naming that directory.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { runHostCommand } from '../../network/host-command.ts';
import { NETNS_DIR } from '../../network/pod-network.ts';
import { CgroupTree, type CgroupLayout } from '../cgroups/cgroup-tree.ts';

/** The alias every instance's bridge carries: `dabba:<data-dir>`. */
export const OWNER_ALIAS_PREFIX = 'dabba:';

interface IpLink {
  ifname: string;
  ifalias?: string;
}

/**
 * Instances whose bridge names a data directory that no longer exists cannot be swept by their own next start
 * (the prefix comes from that directory): remove their containers (by pid, through their cgroups), namespaces,
 * filter table and bridge, each by its exact prefixed name. Returns the prefixes swept.
 */
export async function sweepVanishedInstances(layout: CgroupLayout): Promise<string[]> {
  const { stdout } = await runHostCommand('ip', ['-j', 'link', 'show', 'type', 'bridge']).catch(() => ({ stdout: '[]' }));
  const swept: string[] = [];
  for (const link of JSON.parse(stdout || '[]') as IpLink[]) {
    const m = /^(dbb[0-9a-f]{5})br0$/.exec(link.ifname);
    if (!m || !link.ifalias?.startsWith(OWNER_ALIAS_PREFIX)) continue;
    const dataDir = link.ifalias.slice(OWNER_ALIAS_PREFIX.length);
    if (!dataDir.startsWith('/') || existsSync(dataDir)) continue;
    const prefix = m[1];
    if (layout.mode !== 'none') await new CgroupTree(layout, prefix).remove('').catch(() => {});
    for (const ns of await readdir(NETNS_DIR).catch(() => [] as string[])) {
      if (ns.startsWith(`${prefix}-`)) await runHostCommand('ip', ['netns', 'delete', ns]).catch(() => {});
    }
    await runHostCommand('nft', ['delete', 'table', 'inet', `${prefix}_pods`]).catch(() => {});
    await runHostCommand('ip', ['link', 'delete', link.ifname, 'type', 'bridge']).catch(() => {});
    swept.push(prefix);
  }
  return swept;
}

