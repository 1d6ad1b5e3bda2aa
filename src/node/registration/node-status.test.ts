import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRouteInterface, goArch, meminfoBytes, osImageFrom, type MachineInfo } from './machine-info.ts';
import { nodeNameFromHostname } from './node-name.ts';
import { nodeAllocatable, nodeCapacity, nodeConditions, nodePodCIDR, nodeStatus, nodeStatusChanged } from './node-status.ts';

const machine: MachineInfo = {
  cpus: 2,
  memoryBytes: 24684084 * 1024,
  swapBytes: 0,
  hugePages: [
    { sizeKiB: 2048, count: 0 },
    { sizeKiB: 1048576, count: 0 },
  ],
  ephemeralStorageBytes: 41152812 * 1024,
  machineID: 'm',
  systemUUID: '',
  bootID: 'b',
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  architecture: 'amd64',
  internalIP: '192.0.2.10',
};

const healthy = { runtimeErrors: [] as string[], memoryPressure: false, diskPressure: false, pidPressure: false };
const strings = (r: Record<string, { toString(): string }>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.toString()]));

test('capacity is read from the machine and allocatable keeps the kubelet eviction thresholds back', () => {
  const capacity = nodeCapacity(machine);
  assert.deepEqual(strings(capacity), {
    cpu: '2',
    'ephemeral-storage': '41152812Ki',
    memory: '24684084Ki',
    pods: '110',
    'hugepages-2Mi': '0',
    'hugepages-1Gi': '0',
  });
  // memory.available<100Mi and nodefs.available<10% (a float32 fraction, as the kubelet parses "10%").
  assert.deepEqual(strings(nodeAllocatable(capacity)), {
    cpu: '2',
    'ephemeral-storage': '37926431477',
    memory: '24581684Ki',
    pods: '110',
    'hugepages-2Mi': '0',
    'hugepages-1Gi': '0',
  });
});

test('reserved huge pages come off allocatable memory', () => {
  const capacity = nodeCapacity({ ...machine, memoryBytes: 4 * 1024 ** 3, hugePages: [{ sizeKiB: 2048, count: 512 }] });
  assert.equal(capacity['hugepages-2Mi']!.toString(), '1Gi');
  assert.equal(nodeAllocatable(capacity).memory!.toString(), '2972Mi');
});

test('conditions follow the kubelet setters, with their reasons, messages and events', () => {
  const cases: { name: string; previous?: object[]; health: { runtimeErrors: string[]; memoryPressure: boolean; diskPressure: boolean; pidPressure: boolean }; types: [string, string, string, string][]; events: string[] }[] = [
    {
      name: 'first status: the pressure conditions record events, a new Ready does not',
      health: healthy,
      types: [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ],
      events: ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID'],
    },
    {
      name: 'memory pressure and a runtime error',
      previous: nodeConditions(undefined, healthy, { cpu: 1, memory: 1, pods: 1, 'ephemeral-storage': 1 }, 't0').conditions,
      health: { ...healthy, memoryPressure: true, runtimeErrors: ['container runtime network not ready: NetworkReady=false'] },
      types: [
        ['MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false'],
      ],
      events: ['NodeHasInsufficientMemory', 'NodeNotReady'],
    },
  ];
  for (const c of cases) {
    const r = nodeConditions(c.previous, c.health, { cpu: 1, memory: 1, pods: 1, 'ephemeral-storage': 1 }, 't1');
    assert.deepEqual(
      r.conditions.map((x) => [x.type, x.status, x.reason, x.message]),
      c.types,
      c.name,
    );
    assert.deepEqual(r.events, c.events, c.name);
  }
});

test('an unchanged condition keeps its transition time and only the heartbeat moves', () => {
  const first = nodeStatus(undefined, { machine, hostname: 'vm', containerRuntimeVersion: 'crun://1.8.1', health: healthy }, 't0');
  const second = nodeStatus(first.status, { machine, hostname: 'vm', containerRuntimeVersion: 'crun://1.8.1', health: healthy }, 't1');
  assert.deepEqual(second.events, []);
  assert.ok(second.status.conditions.every((c: { lastTransitionTime: string; lastHeartbeatTime: string }) => c.lastTransitionTime === 't0' && c.lastHeartbeatTime === 't1'));
  assert.equal(nodeStatusChanged(first.status, second.status), false);
  const third = nodeStatus(second.status, { machine, hostname: 'vm', containerRuntimeVersion: 'crun://1.9', health: healthy }, 't2');
  assert.equal(nodeStatusChanged(second.status, third.status), true);
  assert.deepEqual(first.status.addresses, [
    { type: 'InternalIP', address: '192.0.2.10' },
    { type: 'Hostname', address: 'vm' },
  ]);
  assert.deepEqual(first.status.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  assert.equal(first.status.nodeInfo.kubeletVersion, 'v1.33.0');
  assert.equal(first.status.nodeInfo.containerRuntimeVersion, 'crun://1.8.1');
});

test('machine facts are parsed from their kernel files', () => {
  assert.equal(meminfoBytes('MemTotal:       24684084 kB\nSwapTotal:  0 kB\n', 'MemTotal'), 24684084 * 1024);
  assert.equal(osImageFrom('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(osImageFrom(''), 'Linux');
  const routes = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\neth1\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n';
  assert.equal(defaultRouteInterface(routes), 'eth1');
  assert.equal(goArch('x64'), 'amd64');
  assert.equal(goArch('arm64'), 'arm64');
});

test('the default node name is the hostname made a DNS subdomain', () => {
  const cases: [string, string][] = [
    ['vm', 'vm'],
    ['My-Laptop.Local', 'my-laptop.local'],
    ['dev_box #2', 'dev-box-2'],
    ['-edge-.', 'edge'],
    ['___', 'dabba'],
    ['a'.repeat(70), 'a'.repeat(63)],
  ];
  for (const [hostname, want] of cases) assert.equal(nodeNameFromHostname(hostname), want, hostname);
});

test("the node's pod CIDR is the first /24 of the cluster range", () => {
  assert.equal(nodePodCIDR('10.244.0.0/16'), '10.244.0.0/24');
  assert.equal(nodePodCIDR('10.100.0.0/14'), '10.100.0.0/24');
  assert.equal(nodePodCIDR('192.168.7.0/24'), '192.168.7.0/24');
  assert.equal(nodePodCIDR('192.168.7.64/26'), '192.168.7.64/26');
});
