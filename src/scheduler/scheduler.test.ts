import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../apiserver/registry/kobject.ts';
import { ApiError, type ResourceRef } from '../client/client.ts';
import { eventually, FakeCluster, refs, silentLog } from '../controllers/testing/fake-cluster.ts';
import { Scheduler } from './scheduler.ts';
import type { SchedulerApi } from './scheduler-api.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const eventsV1: ResourceRef = { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };

/** The scheduler's writes applied to the fake cluster as the API server would apply them. */
function fakeApi(fake: FakeCluster): SchedulerApi {
  const mergeConditions = (current: Json[] = [], patch: Json[] = []) => {
    const out = [...current];
    for (const c of patch) {
      const i = out.findIndex((x) => x.type === c.type);
      if (i >= 0) out[i] = c;
      else out.push(c);
    }
    return out;
  };
  return {
    async bind(pod, nodeName) {
      const cur = fake.find(refs.pods, pod.metadata.namespace, pod.metadata.name!)!;
      if (cur.spec.nodeName) throw new ApiError(409, { message: `Operation cannot be fulfilled on pods/binding "${cur.metadata.name}": pod ${cur.metadata.name} is already assigned to node "${cur.spec.nodeName}"` });
      const conditions = mergeConditions(cur.status?.conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: 'now' }]);
      await fake.patch(refs.pods, pod.metadata.namespace, pod.metadata.name!, { spec: { nodeName }, status: { conditions } });
    },
    async patchPodStatus(pod, status) {
      const cur = fake.find(refs.pods, pod.metadata.namespace, pod.metadata.name!);
      if (!cur) throw new ApiError(404, { message: 'not found' });
      await fake.patch(refs.pods, pod.metadata.namespace, pod.metadata.name!, { status: { ...status, ...(status.conditions ? { conditions: mergeConditions(cur.status?.conditions, status.conditions) } : {}) } });
    },
    async deletePod(pod) {
      await fake.delete(refs.pods, pod.metadata.namespace, pod.metadata.name!);
    },
    create: (ns, ev) => fake.create(eventsV1, ns, ev),
    patch: (ns, name, p) => fake.patch(eventsV1, ns, name, p),
  };
}

const node = (labels: Record<string, string> = {}): KObject => ({
  metadata: { name: 'vm', labels: { 'kubernetes.io/hostname': 'vm', ...labels } },
  spec: {},
  status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});

const pod = (name: string, spec: Json = {}): KObject => ({
  metadata: { name, namespace: 'shop' },
  spec: { schedulerName: 'default-scheduler', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }], ...spec },
  status: { phase: 'Pending' },
});

async function setup(fake: FakeCluster) {
  const s = new Scheduler({
    api: fakeApi(fake),
    pods: fake.informer(refs.pods),
    nodes: fake.informer(refs.nodes),
    namespaces: fake.informer(refs.namespaces),
    log: silentLog,
    reportingInstance: 'default-scheduler-vm',
    initialBackoffMs: 10,
    maxBackoffMs: 40,
  });
  await s.start();
  return s;
}

const events = (fake: FakeCluster, reason: string) => fake.objects(eventsV1, 'shop').filter((e) => e.reason === reason);
const scheduledCondition = (fake: FakeCluster, name: string) =>
  (fake.find(refs.pods, 'shop', name)?.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');

test('a pending pod is bound to the node and a Scheduled event says so', async () => {
  const fake = new FakeCluster();
  fake.seed(refs.nodes, node());
  const s = await setup(fake);
  fake.seed(refs.pods, pod('web'));
  await eventually(() => fake.find(refs.pods, 'shop', 'web')?.spec.nodeName === 'vm');
  await s.flushEvents();
  await eventually(() => events(fake, 'Scheduled').length === 1);
  const ev = events(fake, 'Scheduled')[0]!;
  assert.equal(ev.note, 'Successfully assigned shop/web to vm');
  assert.equal(ev.type, 'Normal');
  assert.equal(ev.action, 'Binding');
  assert.equal(ev.reportingController, 'default-scheduler');
  assert.equal(ev.reportingInstance, 'default-scheduler-vm');
  assert.equal(ev.regarding.kind, 'Pod');
  assert.equal(ev.regarding.name, 'web');
  await s.stop();
});

test('pods of another scheduler, bound pods and gated pods are left alone', async () => {
  const fake = new FakeCluster();
  fake.seed(refs.nodes, node());
  const s = await setup(fake);
  fake.seed(refs.pods, pod('other', { schedulerName: 'my-scheduler' }));
  fake.seed(refs.pods, pod('gated', { schedulingGates: [{ name: 'wait' }] }));
  fake.seed(refs.pods, pod('web'));
  await eventually(() => fake.find(refs.pods, 'shop', 'web')?.spec.nodeName === 'vm');
  assert.equal(fake.find(refs.pods, 'shop', 'other')?.spec.nodeName, undefined);
  assert.equal(fake.find(refs.pods, 'shop', 'gated')?.spec.nodeName, undefined);
  // Lifting the gate lets it through.
  await fake.patch(refs.pods, 'shop', 'gated', { spec: { schedulingGates: null } });
  await eventually(() => fake.find(refs.pods, 'shop', 'gated')?.spec.nodeName === 'vm');
  await s.stop();
});

test('a pod that does not fit stays pending with FailedScheduling and PodScheduled=False, and requests add up', async () => {
  const fake = new FakeCluster();
  fake.seed(refs.nodes, node());
  const s = await setup(fake);
  fake.seed(refs.pods, pod('big', { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1000' } } }] }));
  fake.seed(refs.pods, pod('half-1', { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] }));
  fake.seed(refs.pods, pod('half-2', { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] }));
  fake.seed(refs.pods, pod('half-3', { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] }));
  const want = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
  await eventually(() => scheduledCondition(fake, 'big')?.reason === 'Unschedulable' && scheduledCondition(fake, 'half-3') !== undefined);
  const cond = scheduledCondition(fake, 'big');
  assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', want]);
  const bound = ['half-1', 'half-2', 'half-3'].filter((n) => fake.find(refs.pods, 'shop', n)?.spec.nodeName === 'vm');
  assert.equal(bound.length, 2, 'two 1-cpu pods fit on 2 cpus, the third does not');
  await s.flushEvents();
  await eventually(() => events(fake, 'FailedScheduling').some((e) => e.regarding.name === 'big'));
  const ev = events(fake, 'FailedScheduling').find((e) => e.regarding.name === 'big')!;
  assert.deepEqual([ev.type, ev.action, ev.note], ['Warning', 'Scheduling', want]);
  assert.equal(fake.find(refs.pods, 'shop', 'big')?.spec.nodeName, undefined);

  // Deleting a bound pod frees its cpu: the waiting one-cpu pod gets in.
  const waiting = ['half-1', 'half-2', 'half-3'].find((n) => !bound.includes(n))!;
  await fake.delete(refs.pods, 'shop', bound[0]!);
  await eventually(() => fake.find(refs.pods, 'shop', waiting)?.spec.nodeName === 'vm');
  await s.stop();
});

test('a node selector that no node matches waits until a node gets the label', async () => {
  const fake = new FakeCluster();
  fake.seed(refs.nodes, node());
  const s = await setup(fake);
  fake.seed(refs.pods, pod('ssd', { nodeSelector: { disktype: 'ssd' } }));
  await eventually(() => scheduledCondition(fake, 'ssd')?.reason === 'Unschedulable');
  assert.equal(
    scheduledCondition(fake, 'ssd').message,
    "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
  );
  await fake.patch(refs.nodes, undefined, 'vm', { metadata: { labels: { disktype: 'ssd' } } });
  await eventually(() => fake.find(refs.pods, 'shop', 'ssd')?.spec.nodeName === 'vm');
  await s.stop();
});

test('without nodes the pod waits, and is bound once the node registers', async () => {
  const fake = new FakeCluster();
  const s = await setup(fake);
  fake.seed(refs.pods, pod('early'));
  await eventually(() => scheduledCondition(fake, 'early')?.message === 'no nodes available to schedule pods');
  fake.seed(refs.nodes, node());
  await eventually(() => fake.find(refs.pods, 'shop', 'early')?.spec.nodeName === 'vm');
  await s.stop();
});

test('a higher-priority pod preempts a lower-priority one and is nominated', async () => {
  const fake = new FakeCluster();
  fake.seed(refs.nodes, node());
  fake.seed(refs.pods, { ...pod('low', { priority: 0, nodeName: 'vm', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '2' } } }] }), status: { phase: 'Running' } });
  const s = await setup(fake);
  fake.seed(refs.pods, pod('high', { priority: 1000, containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] }));
  await eventually(() => fake.find(refs.pods, 'shop', 'low') === undefined);
  await eventually(() => fake.find(refs.pods, 'shop', 'high')?.spec.nodeName === 'vm');
  await s.flushEvents();
  const preempted = events(fake, 'Preempted')[0]!;
  assert.match(preempted.note, /^Preempted by pod uid-\d+ on node vm$/);
  assert.equal(preempted.related.name, 'high');
  await s.stop();
});
