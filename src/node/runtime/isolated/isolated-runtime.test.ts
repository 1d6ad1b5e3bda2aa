// Runs the runtime conformance suite against the isolated runtime (crun, and runc when installed), when this host can run it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { leaseNetworkRanges } from '../../../../test/e2e/network-ranges.ts';
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

// A pod and service range of their own (leased like the e2e clusters' ones), so a dabba on the default ranges and other
// test runs can go on next to these tests.
const lease = await leaseNetworkRanges();
after(() => lease.release());
const ranges = { podCIDR: lease.podCIDR, serviceCIDR: lease.serviceCIDR };
const kubernetesServiceIP = lease.serviceCIDR.replace(/\.0\/24$/, '.1');
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
        name: 'c', image: img, argv: ['sleep', '300'], env: [], workingDir: '', mounts: [], tty: false, stdin: false, stdinOnce: false, logPath: join(next, 'c.log'),
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
      await assert.rejects(second.init(), (e: Error & { code?: string }) => e.code === 'NODE_ERR_ROUTE_CONFLICT' && e.message.includes(ranges.podCIDR));
      assert.deepEqual(await leftovers(b), []);
    } finally {
      await first.shutdown();
      await second.shutdown().catch(() => {});
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});

describe('IsolatedRuntime pod network and the host', { skip }, () => {
  /** A TCP server on a host address that answers `reply` to every connection. */
  const listen = (host: string, reply: string) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer((c) => c.end(reply));
      s.once('error', reject);
      s.listen(0, host, () => resolve(s));
    });
  const portOf = (s: Server) => (s.address() as AddressInfo).port;
  /** Connects from inside the pod's network namespace and prints what the server said (or the error code). */
  const connectFrom = async (netns: string, host: string, port: number) => {
    const script = `const s=require('net').connect(${port},'${host}');let d='';s.setTimeout(2000,()=>{console.log('TIMEOUT');process.exit()});s.on('data',x=>d+=x);s.on('end',()=>{console.log(d);process.exit()});s.on('error',e=>{console.log(e.code);process.exit()})`;
    return (await runHostCommand('ip', ['netns', 'exec', netns, process.execPath, '-e', script])).stdout.trim();
  };

  it("leads the kubernetes Service's IP to a loopback API server, and nothing else from the bridge to the host's loopback", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dabba-apisvc-'));
    const api = await listen('127.0.0.1', 'api');
    const private_ = await listen('127.0.0.9', 'private');
    const rt = new IsolatedRuntime({ dataDir, cniBinDir: probe.cniDir, ...ranges, kubernetesService: { clusterIP: kubernetesServiceIP, port: 443, apiHost: '127.0.0.1', apiPort: portOf(api) } });
    try {
      await rt.init();
      const sb = await rt.runPodSandbox({ podUid: 'a', name: 'a', namespace: 'x', hostname: 'a', hostNetwork: false, portMappings: [], etcFiles: { hosts: '', resolvConf: '' }, qosClass: 'BestEffort' });
      assert.equal(await connectFrom(sb.id, kubernetesServiceIP, 443), 'api');
      // A pod with NET_ADMIN (or raw sockets) can send packets for 127.0.0.9 to the bridge; route_localnet lets them in,
      // and only the guard stops them (CVE-2020-8558).
      await runHostCommand('ip', ['netns', 'exec', sb.id, 'sh', '-c', [
        'sysctl -qw net.ipv4.conf.eth0.route_localnet=1',
        'ip rule add pref 100 lookup local',
        'ip rule del pref 0',
        'ip rule add pref 10 to 127.0.0.9 lookup 100',
        `ip route add 127.0.0.9/32 via ${rt.network.gateway} dev eth0 table 100`,
      ].join(' && ')]);
      assert.equal(await connectFrom(sb.id, '127.0.0.9', portOf(private_)), 'TIMEOUT');
      await rt.shutdown();
      assert.deepEqual(await leftovers(dataDir), []);
    } finally {
      await rt.shutdown().catch(() => {});
      api.close();
      private_.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
