import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../apiserver/registry/kobject.ts';
import { NodeInfo } from './node-info.ts';
import { defaultFilterPlugins } from './plugins/default-plugins.ts';
import { preempt } from './preemption.ts';
import { findFeasibleNodes, FitError, SchedulingError, type ScheduleInput } from './schedule-pod.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const node = (extra: { labels?: Record<string, string>; spec?: Json; allocatable?: Record<string, string> } = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'vm', uid: 'node-uid', labels: { 'kubernetes.io/hostname': 'vm', 'kubernetes.io/os': 'linux', ...extra.labels } },
  spec: extra.spec ?? {},
  status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110', 'ephemeral-storage': '10Gi', ...extra.allocatable } },
});

let uid = 0;
const pod = (name: string, spec: Json = {}, meta: Json = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', uid: `uid-${name}-${++uid}`, ...meta },
  spec: { containers: [{ name: 'c', image: 'busybox' }], schedulerName: 'default-scheduler', ...spec },
  status: { phase: 'Pending' },
});
const requesting = (r: Record<string, string>) => ({ containers: [{ name: 'c', image: 'busybox', resources: { requests: r } }] });
const bound = (p: KObject): KObject => ({ ...p, spec: { ...p.spec, nodeName: 'vm' }, status: { phase: 'Running' } });

function input(p: KObject, n: KObject = node(), running: KObject[] = []): ScheduleInput {
  return {
    pod: p,
    nodes: [new NodeInfo(n, running)],
    plugins: defaultFilterPlugins,
    namespaceLabels: (name) => ({ 'kubernetes.io/metadata.name': name }),
    nominatedPods: () => [],
  };
}

/** What FailedScheduling says: the FitError text with DefaultPreemption's message appended. */
function failure(i: ScheduleInput): string {
  try {
    findFeasibleNodes(i);
  } catch (e) {
    if (!(e instanceof FitError)) throw e;
    e.diagnosis.postFilterMsg = preempt(i, e).status.message();
    return e.text();
  }
  return 'fits';
}

test('FailedScheduling messages match kube-scheduler 1.33 for each filter', () => {
  const cases: { name: string; input: ScheduleInput; want: string }[] = [
    { name: 'fits', input: input(pod('a', requesting({ cpu: '500m', memory: '1Gi' }))), want: 'fits' },
    {
      name: '1000 CPUs',
      input: input(pod('a', requesting({ cpu: '1000' }))),
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    },
    {
      name: 'cpu and memory, sorted',
      input: input(pod('a', requesting({ cpu: '3', memory: '8Gi' }))),
      want: '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    },
    {
      name: 'requests of running pods count',
      input: input(pod('a', requesting({ cpu: '1500m' })), node(), [bound(pod('b', requesting({ cpu: '1' })))]),
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    },
    {
      name: 'an extended resource the node lacks',
      input: input(pod('a', requesting({ 'nvidia.com/gpu': '1' }))),
      want: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    },
    {
      name: 'too many pods',
      input: input(pod('a'), node({ allocatable: { pods: '1' } }), [bound(pod('b'))]),
      want: '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    },
    {
      name: 'nodeSelector',
      input: input(pod('a', { nodeSelector: { disktype: 'ssd' } })),
      want: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    },
    {
      name: 'required node affinity',
      input: input(
        pod('a', {
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
        }),
      ),
      want: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    },
    {
      name: 'matchFields naming another node narrows the nodes to none',
      input: input(
        pod('a', {
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['other'] }] }] } } },
        }),
      ),
      want: "0/1 nodes are available: 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    },
    {
      name: 'untolerated taint',
      input: input(pod('a'), node({ spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } })),
      want: '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    },
    {
      name: 'tolerated taint, PreferNoSchedule ignored',
      input: input(
        pod('a', { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] }),
        node({ spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'soft', effect: 'PreferNoSchedule' }] } }),
      ),
      want: 'fits',
    },
    {
      name: 'cordoned',
      input: input(pod('a'), node({ spec: { unschedulable: true } })),
      want: '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    },
    {
      name: 'cordoned but tolerating unschedulable',
      input: input(pod('a', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), node({ spec: { unschedulable: true } })),
      want: 'fits',
    },
    {
      name: 'host port taken',
      input: input(
        pod('a', { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }] }),
        node(),
        [bound(pod('b', { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1' }] }] }))],
      ),
      want: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    },
    {
      name: 'same host port, other protocol',
      input: input(
        pod('a', { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }] }] }),
        node(),
        [bound(pod('b', { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 53, hostPort: 53 }] }] }))],
      ),
      want: 'fits',
    },
    {
      name: 'spread over a zone label the node lacks',
      input: input(pod('a', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'a' } } }] }, { labels: { app: 'a' } })),
      want: "0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    },
    {
      name: 'spread with minDomains on one node',
      input: input(
        pod('a', { topologySpreadConstraints: [{ maxSkew: 1, minDomains: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'a' } } }] }, { labels: { app: 'a' } }),
        node(),
        [bound(pod('b', {}, { labels: { app: 'a' } }))],
      ),
      want: "0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    },
    {
      name: 'anti-affinity to a pod already there',
      input: input(
        pod('a', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } }),
        node(),
        [bound(pod('b', {}, { labels: { app: 'db' } }))],
      ),
      want: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    },
    {
      name: "a pod already there has anti-affinity to this one",
      input: input(
        pod('a', {}, { labels: { app: 'web' } }),
        node(),
        [bound(pod('b', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } }))],
      ),
      want: "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    },
    {
      name: 'affinity to pods that do not exist',
      input: input(pod('a', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'cache' } } }] } } })),
      want: "0/1 nodes are available: 1 node(s) didn't match pod affinity rules. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    },
    {
      name: 'the first pod of a group with affinity to itself',
      input: input(pod('a', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'cache' } } }] } } }, { labels: { app: 'cache' } })),
      want: 'fits',
    },
    {
      name: 'preemptionPolicy Never',
      input: input(pod('a', { ...requesting({ cpu: '1000' }), preemptionPolicy: 'Never' })),
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    },
    {
      name: 'lower-priority pods that would not free enough',
      input: input(pod('a', { ...requesting({ cpu: '1000' }), priority: 100 }), node(), [bound(pod('b', requesting({ cpu: '1' })))]),
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.',
    },
  ];
  for (const c of cases) assert.equal(failure(c.input), c.want, c.name);
});

test('the first failing filter decides, in the default order', () => {
  const i = input(pod('a', { ...requesting({ cpu: '1000' }), nodeSelector: { disktype: 'ssd' } }), node({ spec: { unschedulable: true } }));
  assert.equal(failure(i), '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
});

test('no nodes at all is not a FitError', () => {
  assert.throws(() => findFeasibleNodes({ ...input(pod('a')), nodes: [] }), (e: unknown) => e instanceof SchedulingError && e.message === 'no nodes available to schedule pods');
});

test('preemption picks the fewest, least important lower-priority victims', () => {
  const low = bound(pod('low', { ...requesting({ cpu: '1' }), priority: 1 }));
  const lowest = bound(pod('lowest', { ...requesting({ cpu: '1' }), priority: 0 }));
  const high = bound(pod('high', { ...requesting({ cpu: '0' }), priority: 1000 }));
  const i = input(pod('a', { ...requesting({ cpu: '1' }), priority: 100 }), node(), [low, lowest, high]);
  let fit: FitError | undefined;
  try {
    findFeasibleNodes(i);
  } catch (e) {
    fit = e as FitError;
  }
  assert.ok(fit instanceof FitError);
  const r = preempt(i, fit);
  assert.equal(r.status.code, 'Success');
  assert.deepEqual(
    r.candidate?.victims.map((v) => v.metadata.name),
    ['lowest'],
  );
  assert.equal(r.candidate?.node, 'vm');
});

test('a nominated higher-priority pod keeps its room', () => {
  const nominee = pod('nominee', { ...requesting({ cpu: '1500m' }), priority: 10 });
  nominee.status = { phase: 'Pending', nominatedNodeName: 'vm' };
  const i = { ...input(pod('a', requesting({ cpu: '1' }))), nominatedPods: () => [nominee] };
  assert.equal(failure(i), '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
});
