import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeCluster, eventually, refs, silentLog } from '../../controllers/testing/fake-cluster.ts';
import type { MachineInfo } from './machine-info.ts';
import { leasesRef, NodeLease } from './node-lease.ts';
import { NodeRegistration } from './node-registration.ts';

const machine: MachineInfo = {
  cpus: 4,
  memoryBytes: 8 * 1024 ** 3,
  swapBytes: 0,
  hugePages: [],
  ephemeralStorageBytes: 100 * 1024 ** 3,
  machineID: 'mid',
  systemUUID: 'uuid',
  bootID: 'boot',
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  architecture: 'amd64',
  internalIP: '192.0.2.10',
};

function setup(fake: FakeCluster, extra: Partial<ConstructorParameters<typeof NodeRegistration>[0]> = {}) {
  let now = Date.parse('2025-05-01T10:00:00Z');
  const reg = new NodeRegistration({
    client: fake,
    nodeName: 'vm',
    dataDir: '/tmp',
    podCIDR: '10.244.0.0/24',
    containerRuntimeVersion: () => 'crun://1.8.1',
    log: silentLog,
    machine: async () => machine,
    now: () => new Date(now),
    statusUpdateMs: 3_600_000,
    leaseRenewMs: 3_600_000,
    ...extra,
  });
  return { reg, tick: (ms: number) => (now += ms) };
}

const eventReasons = (fake: FakeCluster) => fake.objects(refs.events).map((e) => e.reason);

test('a first start registers the node with its labels, pod CIDR, status and lease, and records the kubelet start events', async () => {
  const fake = new FakeCluster();
  const { reg } = setup(fake);
  await reg.start();
  await reg.stop();
  const node = fake.find(refs.nodes, undefined, 'vm')!;
  assert.deepEqual(node.metadata.labels, {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'vm',
    'kubernetes.io/os': 'linux',
    'node-role.kubernetes.io/control-plane': '',
    'node.kubernetes.io/exclude-from-external-load-balancers': '',
  });
  assert.deepEqual(node.spec, { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
  assert.deepEqual(node.status.capacity, { cpu: '4', 'ephemeral-storage': '100Gi', memory: '8Gi', pods: '110' });
  assert.equal(node.status.allocatable.memory, '8092Mi');
  assert.equal(node.status.conditions.find((c: { type: string }) => c.type === 'Ready').status, 'True');

  const lease = fake.find(leasesRef, 'kube-node-lease', 'vm')!;
  assert.equal(lease.spec.holderIdentity, 'vm');
  assert.equal(lease.spec.leaseDurationSeconds, 40);
  assert.equal(lease.spec.renewTime, '2025-05-01T10:00:00.000000Z');
  assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'vm', uid: node.metadata.uid }]);

  await eventually(() => eventReasons(fake).length === 4);
  assert.deepEqual(eventReasons(fake), ['Starting', 'NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']);
  const starting = fake.objects(refs.events).find((e) => e.reason === 'Starting')!;
  assert.equal(starting.message, 'Starting kubelet.');
  assert.deepEqual(starting.involvedObject, { kind: 'Node', name: 'vm', uid: 'vm' });
  assert.deepEqual(starting.source, { component: 'kubelet', host: 'vm' });
  assert.equal(fake.objects(refs.events).find((e) => e.reason === 'NodeHasSufficientPID')!.message, 'Node vm status is now: NodeHasSufficientPID');
});

test('a restart keeps the node and the labels users added, restores the kubelet labels, and renews the same lease', async () => {
  const fake = new FakeCluster();
  await setup(fake).reg.start();
  const uid = fake.find(refs.nodes, undefined, 'vm')!.metadata.uid;
  await fake.patch(refs.nodes, undefined, 'vm', { metadata: { labels: { team: 'food', 'kubernetes.io/os': 'plan9', 'node-role.kubernetes.io/control-plane': null } } });

  const { reg } = setup(fake);
  await reg.start();
  await reg.stop();
  const node = fake.find(refs.nodes, undefined, 'vm')!;
  assert.equal(node.metadata.uid, uid);
  assert.equal(node.metadata.labels?.team, 'food');
  assert.equal(node.metadata.labels?.['kubernetes.io/os'], 'linux');
  assert.equal(node.metadata.labels?.['node-role.kubernetes.io/control-plane'], undefined, 'the role label is set only at first registration');
  assert.equal(fake.objects(leasesRef, 'kube-node-lease').length, 1);
});

test('status is written only when it changes or a report is due, and cordoning records NodeNotSchedulable', async () => {
  const fake = new FakeCluster();
  let errors: string[] = [];
  const { reg, tick } = setup(fake, { health: () => ({ runtimeErrors: errors }) });
  await reg.start();
  const statusWrites = () => fake.writes().filter((w) => w === 'patch nodes/status vm').length;
  const before = statusWrites();

  tick(10_000);
  await reg.syncStatus();
  assert.equal(statusWrites(), before, 'nothing changed: no write');

  errors = ['container runtime is down'];
  tick(10_000);
  await reg.syncStatus();
  assert.equal(statusWrites(), before + 1);
  const ready = fake.find(refs.nodes, undefined, 'vm')!.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'KubeletNotReady', 'container runtime is down']);

  tick(5 * 60_000);
  await reg.syncStatus();
  assert.equal(statusWrites(), before + 2, 'a report is due after five minutes');

  await fake.patch(refs.nodes, undefined, 'vm', { spec: { unschedulable: true } });
  await reg.syncStatus();
  await reg.stop();
  await eventually(() => eventReasons(fake).includes('NodeNotSchedulable'));
  assert.ok(eventReasons(fake).includes('NodeNotReady'));
});

test('the lease is renewed in place every interval, and recreated if someone deletes it', async () => {
  const fake = new FakeCluster();
  let now = Date.parse('2025-05-01T10:00:00Z');
  const lease = new NodeLease(fake, 'vm', () => ({ metadata: { name: 'vm', uid: 'node-uid' } }), () => new Date(now));
  const first = await lease.renew();
  now += 10_000;
  const second = await lease.renew();
  assert.equal(second.metadata.uid, first.metadata.uid);
  assert.equal(second.spec.renewTime, '2025-05-01T10:00:10.000000Z');
  await fake.delete(leasesRef, 'kube-node-lease', 'vm');
  now += 10_000;
  const third = await lease.renew();
  assert.equal(third.spec.renewTime, '2025-05-01T10:00:20.000000Z');
  assert.deepEqual(third.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'vm', uid: 'node-uid' }]);
  assert.equal(fake.objects(leasesRef, 'kube-node-lease').length, 1);
});
