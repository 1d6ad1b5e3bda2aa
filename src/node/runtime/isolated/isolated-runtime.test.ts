// Runs the runtime conformance suite against the isolated runtime (crun, and runc when installed), when this host can run it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runHostCommand } from '../../network/host-command.ts';
import { chooseRuntime, probeHost } from '../select-runtime.ts';
import { leftovers, runtimeConformance } from '../runtime.conformance.ts';
import { IsolatedRuntime } from './isolated-runtime.ts';

const probe = await probeHost();
let skip: string | undefined;
try {
  if (chooseRuntime('isolated', probe).kind !== 'isolated') skip = 'the isolated runtime is not available';
} catch (e) {
  skip = (e as Error).message;
}

// A pod and service range of their own, so a dabba on the default ranges can run next to the tests.
const ranges = { podCIDR: '10.252.0.0/16', serviceCIDR: '10.253.0.0/24' };
const features = { mounts: true, readOnlyRoot: true, memoryLimits: true, runAsUser: true, podNetwork: true };

for (const oci of ['crun', 'runc'] as const) {
  runtimeConformance({
    name: `isolated (${oci})`,
    skip: skip ?? (probe.tools[oci] ? undefined : `${oci} is not installed`),
    create: (dataDir) => new IsolatedRuntime({ dataDir, ociRuntime: oci, cniBinDir: probe.cniDir, ...ranges }),
    features,
  });
}

describe('IsolatedRuntime init', { skip }, () => {
  it('sweeps what a crashed run left with its prefix (network namespaces, cgroups) and keeps what it still tracks', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dabba-sweep-'));
    const rt = new IsolatedRuntime({ dataDir, cniBinDir: probe.cniDir, ...ranges });
    try {
      await rt.init();
      const sb = await rt.runPodSandbox({ podUid: 'kept', name: 'kept', namespace: 'x', hostname: 'kept', hostNetwork: false, portMappings: [], etcFiles: { hosts: '', resolvConf: '' }, qosClass: 'BestEffort' });
      await rt.release();
      // What a crash mid-way leaves: a namespace and a cgroup no record names.
      const orphan = `${rt.names.prefix}-0123456789ab`;
      await runHostCommand('ip', ['netns', 'add', orphan]);
      await mkdir(`/sys/fs/cgroup/memory/${rt.names.cgroupRoot}/podorphan`, { recursive: true });
      const successor = new IsolatedRuntime({ dataDir, cniBinDir: probe.cniDir, ...ranges });
      await successor.init();
      const names = (await runHostCommand('ip', ['netns', 'list'])).stdout;
      assert.doesNotMatch(names, new RegExp(orphan));
      assert.match(names, new RegExp(sb.id));
      assert.equal(existsSync(`/sys/fs/cgroup/memory/${rt.names.cgroupRoot}/podorphan`), false);
      assert.deepEqual((await successor.list()).sandboxes.map((s) => s.id), [sb.id]);
      await successor.shutdown();
      assert.deepEqual(await leftovers(dataDir), []);
    } finally {
      await rt.shutdown().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('sweeps an instance whose data directory was deleted while its pods ran, instead of refusing its ranges', async () => {
    const gone = await mkdtemp(join(tmpdir(), 'dabba-vanished-'));
    const next = await mkdtemp(join(tmpdir(), 'dabba-next-'));
    const killed = new IsolatedRuntime({ dataDir: gone, cniBinDir: probe.cniDir, ...ranges });
    const successor = new IsolatedRuntime({ dataDir: next, cniBinDir: probe.cniDir, ...ranges });
    try {
      await killed.init();
      const sb = await killed.runPodSandbox({ podUid: 'v', name: 'v', namespace: 'x', hostname: 'v', hostNetwork: false, portMappings: [], etcFiles: { hosts: '', resolvConf: '' }, qosClass: 'BestEffort' });
      const img = { ref: 'busybox', rootfs: '/', entrypoint: [], cmd: ['sh'], workingDir: '', env: {}, user: 0 };
      const id = await killed.createContainer(sb, {
        name: 'c', image: img, argv: ['sleep', '300'], env: [], workingDir: '', mounts: [], tty: false, stdin: false, logPath: join(next, 'c.log'),
        resources: { cpuShares: 2, cpuPeriodUs: 100_000, oomScoreAdj: 1000 },
        security: { supplementalGroups: [], readOnlyRootFilesystem: false, allowPrivilegeEscalation: true, privileged: false, capabilitiesAdd: [], capabilitiesDrop: [] },
      });
      await killed.startContainer(id);
      await killed.release();
      await rm(gone, { recursive: true, force: true });
      await successor.init();
      assert.deepEqual(await leftovers(gone), []);
      assert.ok((await successor.runPodSandbox({ podUid: 'n', name: 'n', namespace: 'x', hostname: 'n', hostNetwork: false, portMappings: [], etcFiles: { hosts: '', resolvConf: '' }, qosClass: 'BestEffort' })).ip);
    } finally {
      await successor.shutdown().catch(() => {});
      await killed.shutdown().catch(() => {});
      await rm(gone, { recursive: true, force: true });
      await rm(next, { recursive: true, force: true });
    }
  });

  it('hands out no address before init succeeded', async () => {
    const rt = new IsolatedRuntime({ dataDir: join(tmpdir(), 'dabba-never-initialized'), cniBinDir: probe.cniDir, ...ranges });
    await assert.rejects(
      rt.runPodSandbox({ podUid: 'u', name: 'u', namespace: 'x', hostname: 'u', hostNetwork: false, portMappings: [], etcFiles: { hosts: '', resolvConf: '' }, qosClass: 'BestEffort' }),
      (e: Error & { code?: string }) => e.code === 'NODE_ERR_RUNTIME_NOT_READY',
    );
  });

  it('refuses to start when another device already routes its pod range, and creates nothing', async () => {
    const a = await mkdtemp(join(tmpdir(), 'dabba-route-a-'));
    const b = await mkdtemp(join(tmpdir(), 'dabba-route-b-'));
    const first = new IsolatedRuntime({ dataDir: a, cniBinDir: probe.cniDir, ...ranges });
    const second = new IsolatedRuntime({ dataDir: b, cniBinDir: probe.cniDir, ...ranges });
    try {
      await first.init();
      await assert.rejects(second.init(), (e: Error & { code?: string }) => e.code === 'NODE_ERR_ROUTE_CONFLICT' && /10\.252\.0\.0\/16/.test(e.message));
      assert.deepEqual(await leftovers(b), []);
    } finally {
      await first.shutdown();
      await second.shutdown().catch(() => {});
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});
