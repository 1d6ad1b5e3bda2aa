import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerConfig } from '../runtime.ts';
import { containerCapabilities, DEFAULT_CAPABILITIES } from './capabilities.ts';
import { ociSpec } from './oci-spec.ts';

const config = (over: Partial<ContainerConfig> = {}): ContainerConfig => ({
  name: 'web',
  image: { ref: 'python:3.11', rootfs: '/', entrypoint: [], cmd: ['python3'], workingDir: '', env: { PATH: '/usr/bin', LANG: 'C.UTF-8' }, user: 0 },
  argv: ['python3', '-m', 'http.server'],
  env: [['LANG', 'en_US.UTF-8'], ['A', 'b']],
  workingDir: '/srv',
  mounts: [{ containerPath: '/data', hostPath: '/var/lib/x', readOnly: true }, { containerPath: '/cache', hostPath: '', readOnly: false, tmpfsBytes: 1 << 20 }],
  resources: { cpuShares: 512, cpuPeriodUs: 100_000, cpuQuotaUs: 50_000, memoryLimitBytes: 1 << 27, oomScoreAdj: -997 },
  security: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilitiesAdd: ['NET_ADMIN'], capabilitiesDrop: ['MKNOD'] },
  tty: false,
  stdin: false,
  stdinOnce: false,
  logPath: '/tmp/x.log',
  ...over,
});

const input = (c: ContainerConfig) => ({
  config: c,
  rootfsPath: '/b/rootfs',
  hostname: 'web-0',
  netnsPath: '/var/run/netns/dbb1-x',
  etcFiles: { hosts: '/s/hosts', resolvConf: '/s/resolv.conf', hostname: '/s/hostname' },
  hiddenPaths: ['/root/.dabba'],
  hostRoot: true,
  oomScoreAdj: 0,
  bounding: DEFAULT_CAPABILITIES.concat('CAP_NET_ADMIN'),
});

describe('ociSpec', () => {
  it('turns a container config into an OCI process, root, mounts and namespaces', () => {
    const spec = ociSpec(input(config())) as any;
    assert.deepEqual(spec.process.user, { uid: 1000, gid: 3000, additionalGids: [4000] });
    assert.deepEqual(spec.process.args, ['python3', '-m', 'http.server']);
    assert.equal(spec.process.cwd, '/srv');
    assert.ok(spec.process.env.includes('LANG=en_US.UTF-8'), 'container env overrides image env');
    assert.ok(spec.process.env.includes('PATH=/usr/bin'));
    assert.ok(spec.process.env.includes('HOSTNAME=web-0'));
    assert.equal(spec.process.noNewPrivileges, true);
    assert.equal(spec.process.oomScoreAdj, 0);
    assert.ok(spec.process.capabilities.effective.includes('CAP_NET_ADMIN'));
    assert.ok(!spec.process.capabilities.effective.includes('CAP_MKNOD'));
    assert.deepEqual(spec.root, { path: '/b/rootfs', readonly: true });
    assert.deepEqual(spec.linux.namespaces.map((n: { type: string }) => n.type), ['pid', 'ipc', 'uts', 'mount', 'network']);
    assert.ok(spec.linux.maskedPaths.includes('/root/.dabba'), 'the data directory is hidden');
    const byDest = new Map(spec.mounts.map((m: { destination: string }) => [m.destination, m]));
    assert.deepEqual((byDest.get('/data') as any).options, ['rbind', 'rprivate', 'ro']);
    assert.equal((byDest.get('/cache') as any).type, 'tmpfs');
    assert.ok((byDest.get('/tmp') as any).options.includes('ro'), 'a read-only root has a read-only /tmp');
    assert.equal((byDest.get('/etc/hosts') as any).source, '/s/hosts');
    assert.equal(spec.linux.resources, undefined, 'crun: the shim joins a cgroup dabba made');
  });

  it('gives runc the cgroup path and limits, and a privileged container everything', () => {
    const c = config({ security: { ...config().security, privileged: true } });
    const spec = ociSpec({ ...input(c), cgroup: { path: '/dbb1/podx/web', limits: c.resources, restrictDevices: false } }) as any;
    assert.equal(spec.linux.cgroupsPath, '/dbb1/podx/web');
    assert.deepEqual(spec.linux.resources.cpu, { shares: 512, period: 100_000, quota: 50_000 });
    assert.deepEqual(spec.linux.resources.memory, { limit: 1 << 27 });
    assert.deepEqual(spec.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
    assert.deepEqual(spec.linux.readonlyPaths, []);
    assert.equal(spec.process.noNewPrivileges, false);
  });
});

describe('containerCapabilities', () => {
  const all = ['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_ADMIN', 'CAP_SYS_ADMIN', ...DEFAULT_CAPABILITIES];
  it('applies drop ALL then add, and never exceeds the host bounding set', () => {
    assert.deepEqual(containerCapabilities({ add: ['NET_BIND_SERVICE'], drop: ['ALL'], privileged: false }, all), ['CAP_NET_BIND_SERVICE']);
    assert.deepEqual(containerCapabilities({ add: [], drop: ['all'], privileged: false }, all), []);
    assert.ok(!containerCapabilities({ add: ['SYS_RESOURCE'], drop: [], privileged: false }, all).includes('CAP_SYS_RESOURCE'));
    assert.ok(containerCapabilities({ add: [], drop: [], privileged: true }, all).includes('CAP_SYS_ADMIN'));
    assert.equal(containerCapabilities({ add: [], drop: [], privileged: false }, all).length, DEFAULT_CAPABILITIES.length);
  });
});
