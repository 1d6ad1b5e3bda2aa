import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePodStatus, podPhase, type ContainerRecord, type StatusInputs } from './pod-status.ts';
import type { ContainerStatus, Pod } from '../pod-worker-types.ts';

const pod = (over: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name: 'web', namespace: 'default', uid: 'u1', ...meta },
  spec: { containers: [{ name: 'app', image: 'nginx' }], restartPolicy: 'Always', ...over },
});

const rec = (over: Partial<ContainerRecord>): ContainerRecord => ({
  id: 'c1',
  name: 'app',
  attempt: 0,
  state: 'running',
  createdAt: '2025-01-01T00:00:00.000Z',
  startedAt: '2025-01-01T00:00:01.500Z',
  image: 'docker.io/library/nginx:latest',
  imageID: 'docker.io/library/nginx@sha256:abc',
  ...over,
});

function inputs(p: Pod, over: Partial<StatusInputs> = {}): StatusInputs {
  return {
    pod: p,
    oldStatus: p.status ?? {},
    runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [] },
    startFailures: new Map(),
    probes: { started: () => true, ready: () => true },
    hostIPs: ['192.168.0.2'],
    podIsTerminal: false,
    ...over,
  };
}

const now = new Date('2025-01-01T00:00:10Z');

test('a new pod is Pending with ContainerCreating and the kubelet conditions in upstream order', () => {
  const s = generatePodStatus(inputs(pod(), { runtime: { sandboxReady: false, podIPs: [], containers: [] } }), now);
  assert.equal(s.phase, 'Pending');
  assert.equal(s.qosClass, 'BestEffort');
  assert.deepEqual(s.containerStatuses![0].state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(s.containerStatuses![0].image, 'nginx');
  assert.equal(s.containerStatuses![0].imageID, '');
  assert.deepEqual(
    s.conditions!.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['PodReadyToStartContainers', 'False', undefined, undefined],
      ['Initialized', 'True', undefined, undefined],
      ['Ready', 'False', 'ContainersNotReady', 'containers with unready status: [app]'],
      ['ContainersReady', 'False', 'ContainersNotReady', 'containers with unready status: [app]'],
      ['PodScheduled', 'True', undefined, undefined],
    ],
  );
  assert.equal(s.hostIP, '192.168.0.2');
  assert.deepEqual(s.hostIPs, [{ ip: '192.168.0.2' }]);
  assert.equal(s.podIP, undefined);
  assert.equal(s.startTime, '2025-01-01T00:00:10Z');
});

test('a start failure shows as the waiting reason with its message (CreateContainerConfigError)', () => {
  const message = "couldn't find key environment in ConfigMap swiggy-prod/swiggy-config-prod";
  const s = generatePodStatus(inputs(pod(), { startFailures: new Map([['app', { reason: 'CreateContainerConfigError', message }]]) }), now);
  assert.deepEqual(s.containerStatuses![0].state, { waiting: { reason: 'CreateContainerConfigError', message } });
  assert.equal(s.phase, 'Pending');
});

test('running and ready: ids, image, pod IPs, Ready True', () => {
  const s = generatePodStatus(inputs(pod(), { runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [rec({})] } }), now);
  const cs = s.containerStatuses![0];
  assert.equal(s.phase, 'Running');
  assert.deepEqual(cs.state, { running: { startedAt: '2025-01-01T00:00:01Z' } });
  assert.equal(cs.containerID, 'dabba://c1');
  assert.equal(cs.imageID, 'docker.io/library/nginx@sha256:abc');
  assert.equal(cs.image, 'docker.io/library/nginx:latest');
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.equal(s.podIP, '10.244.0.5');
  assert.deepEqual(s.podIPs, [{ ip: '10.244.0.5' }]);
  assert.deepEqual(s.conditions!.map((c) => c.status), ['True', 'True', 'True', 'True', 'True']);
  assert.deepEqual(cs.resources, {});
});

test('1.33 container statuses carry volumeMounts and the allocated resources', () => {
  const p = pod({ containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } }, volumeMounts: [{ name: 'cfg', mountPath: '/cfg', readOnly: true }, { name: 'data', mountPath: '/data' }] }] });
  const waiting = generatePodStatus(inputs(p, { runtime: { sandboxReady: false, podIPs: [], containers: [] } }), now).containerStatuses![0];
  assert.deepEqual(waiting.volumeMounts, [{ name: 'cfg', mountPath: '/cfg', readOnly: true, recursiveReadOnly: 'Disabled' }, { name: 'data', mountPath: '/data' }]);
  assert.equal(waiting.resources, undefined);
  const running = generatePodStatus(inputs(p, { runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [rec({})] } }), now).containerStatuses![0];
  assert.deepEqual(running.resources, { requests: { cpu: '100m' } });
  assert.equal(running.volumeMounts?.length, 2);
});

test('readiness probe not yet passed keeps Ready False; startup probe gates started', () => {
  const s = generatePodStatus(
    inputs(pod(), { runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [rec({})] }, probes: { started: () => false, ready: () => true } }),
    now,
  );
  assert.equal(s.containerStatuses![0].started, false);
  assert.equal(s.containerStatuses![0].ready, false);
});

test('CrashLoopBackOff: the last termination moves to lastState, restartCount from the attempt', () => {
  const dead = rec({ id: 'c2', attempt: 3, state: 'exited', exitCode: 1, reason: 'Error', finishedAt: '2025-01-01T00:00:05Z' });
  const older = rec({ id: 'c1', attempt: 2, state: 'exited', exitCode: 1, reason: 'Error' });
  const s = generatePodStatus(
    inputs(pod(), {
      runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [older, dead] },
      startFailures: new Map([['app', { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=app pod=web_default(u1)' }]]),
    }),
    now,
  );
  const cs = s.containerStatuses![0];
  assert.equal(cs.restartCount, 3);
  assert.deepEqual(cs.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=app pod=web_default(u1)' } });
  assert.equal(cs.lastState.terminated?.exitCode, 1);
  assert.equal(cs.lastState.terminated?.reason, 'Error');
  assert.equal(cs.lastState.terminated?.containerID, 'dabba://c2');
  assert.equal(s.phase, 'Running');
});

test('OOMKilled with restartPolicy Never ends Failed; Completed with Never/OnFailure Succeeded', () => {
  const oom = rec({ state: 'exited', exitCode: 137, reason: 'OOMKilled', finishedAt: '2025-01-01T00:00:05Z' });
  const never = pod({ restartPolicy: 'Never' });
  const s = generatePodStatus(inputs(never, { runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [oom] } }), now);
  assert.equal(s.phase, 'Failed');
  assert.equal(s.containerStatuses![0].state.terminated?.reason, 'OOMKilled');
  assert.equal(s.conditions!.find((c) => c.type === 'Ready')?.reason, 'PodFailed');
  const done = rec({ state: 'exited', exitCode: 0, reason: 'Completed' });
  for (const policy of ['Never', 'OnFailure'] as const) {
    const t = generatePodStatus(inputs(pod({ restartPolicy: policy }), { runtime: { sandboxReady: false, podIPs: [], containers: [done] } }), now);
    assert.equal(t.phase, 'Succeeded', policy);
    assert.equal(t.conditions!.find((c) => c.type === 'Ready')?.reason, 'PodCompleted');
  }
});

test('init containers: PodInitializing, incomplete init message, then Initialized', () => {
  const p = pod({ initContainers: [{ name: 'migrate', image: 'busybox' }] });
  const s = generatePodStatus(inputs(p, { runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [rec({ name: 'migrate', id: 'i1' })] } }), now);
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(s.containerStatuses![0].state, { waiting: { reason: 'PodInitializing' } });
  assert.equal(s.initContainerStatuses![0].ready, false);
  const init = s.conditions!.find((c) => c.type === 'Initialized')!;
  assert.deepEqual([init.status, init.reason, init.message], ['False', 'ContainersNotInitialized', 'containers with incomplete status: [migrate]']);
  const t = generatePodStatus(
    inputs(p, {
      runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [rec({ name: 'migrate', id: 'i1', state: 'exited', exitCode: 0, reason: 'Completed' }), rec({ id: 'c9' })] },
    }),
    now,
  );
  assert.equal(t.phase, 'Running');
  assert.equal(t.initContainerStatuses![0].ready, true);
  assert.equal(t.initContainerStatuses![0].started, false);
  assert.equal(t.conditions!.find((c) => c.type === 'Initialized')!.status, 'True');
});

test('a failed init container with restartPolicy Never fails the pod', () => {
  const statuses: ContainerStatus[] = [
    { name: 'migrate', state: { terminated: { exitCode: 2 } }, lastState: {}, ready: false, restartCount: 0, image: '', imageID: '' },
    { name: 'app', state: { waiting: { reason: 'PodInitializing' } }, lastState: {}, ready: false, restartCount: 0, image: '', imageID: '' },
  ];
  assert.equal(podPhase(pod({ restartPolicy: 'Never', initContainers: [{ name: 'migrate' }] }), statuses, false, false), 'Failed');
  assert.equal(podPhase(pod({ restartPolicy: 'Always', initContainers: [{ name: 'migrate' }] }), statuses, false, false), 'Pending');
});

test('lastTransitionTime holds while a condition keeps its status', () => {
  const first = generatePodStatus(inputs(pod(), { runtime: { sandboxReady: false, podIPs: [], containers: [] } }), now);
  const later = new Date('2025-01-01T00:01:00Z');
  const second = generatePodStatus(inputs(pod(), { oldStatus: first, runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [rec({})] } }), later);
  const t = (s: typeof first, type: string) => s.conditions!.find((c) => c.type === type)!.lastTransitionTime;
  assert.equal(t(second, 'PodScheduled'), '2025-01-01T00:00:10Z');
  assert.equal(t(second, 'Ready'), '2025-01-01T00:01:00Z');
  assert.equal(second.startTime, '2025-01-01T00:00:10Z');
});

test('a container that vanished while running is reported terminated with ContainerStatusUnknown', () => {
  const p = pod();
  const old = generatePodStatus(inputs(p, { runtime: { sandboxReady: true, podIPs: ['10.244.0.5'], containers: [rec({})] } }), now);
  const s = generatePodStatus(inputs(p, { oldStatus: old, runtime: { sandboxReady: false, podIPs: [], containers: [] } }), now);
  const cs = s.containerStatuses![0];
  assert.equal(cs.lastState.terminated?.reason, 'ContainerStatusUnknown');
  assert.equal(cs.lastState.terminated?.exitCode, 137);
  assert.equal(cs.restartCount, 1);
  assert.equal(s.phase, 'Running');
});

test('terminal phases never go back', () => {
  const p = pod({}, {});
  p.status = { phase: 'Succeeded' };
  const s = generatePodStatus(inputs(p, { runtime: { sandboxReady: false, podIPs: [], containers: [] } }), now);
  assert.equal(s.phase, 'Succeeded');
});
