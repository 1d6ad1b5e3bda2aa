import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { eventually, FakeCluster, refs, silentLog } from '../testing/fake-cluster.ts';
import { FakeEvents } from '../testing/fake-events.ts';
import { jobsRef } from './job-conditions.ts';
import { JobController } from './job-controller.ts';
import { TTLAfterFinishedController } from './ttl-after-finished-controller.ts';

function setup(start = Date.parse('2025-01-01T02:00:00Z')) {
  const fake = new FakeCluster();
  const events = new FakeEvents();
  const clock = { now: start };
  const jc = new JobController({ client: fake, jobs: fake.informer(jobsRef), pods: fake.informer(refs.pods), events, log: silentLog, now: () => new Date(clock.now) });
  jc.controller.run();
  return { fake, events, jc, clock, stop: () => jc.controller.stop() };
}

const job = (spec: Record<string, unknown> = {}, name = 'pi'): KObject => ({
  metadata: { name, namespace: 'batch' },
  spec: {
    parallelism: 1,
    completions: 1,
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    suspend: false,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } },
    template: {
      metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'u1', 'batch.kubernetes.io/job-name': name, 'job-name': name } },
      spec: { containers: [{ name: 'pi', image: 'busybox', command: ['true'] }], restartPolicy: 'Never' },
    },
    ...spec,
  },
});

const pods = (fake: FakeCluster) => fake.objects(refs.pods, 'batch');
const getJob = (fake: FakeCluster, name = 'pi') => fake.find(jobsRef, 'batch', name)!;
const conds = (j: KObject) => (j.status?.conditions ?? []).map((c: KObject) => `${c.type}=${c.status} ${c.reason}: ${c.message}`);

/** Plays the kubelet: the pod ends in `phase`. */
function finish(fake: FakeCluster, pod: KObject, phase: 'Succeeded' | 'Failed', at = '2025-01-01T02:00:05Z') {
  const exit = phase === 'Succeeded' ? 0 : 1;
  fake.seed(refs.pods, {
    ...pod,
    status: {
      phase,
      containerStatuses: [{ name: 'pi', restartCount: 0, state: { terminated: { exitCode: exit, reason: phase === 'Succeeded' ? 'Completed' : 'Error', finishedAt: at } } }],
    },
  });
}

test('runs pods up to completions with the tracking finalizer; counts them and completes with SuccessCriteriaMet then Complete', async () => {
  const { fake, events, stop } = setup();
  try {
    const j = fake.seed(jobsRef, job({ completions: 2 }));
    await eventually(() => pods(fake).length === 1 && getJob(fake).status?.active === 1);
    const [p] = pods(fake);
    assert.match(p!.metadata.name!, /^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p!.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    assert.equal(p!.metadata.labels!['job-name'], 'pi');
    assert.deepEqual(p!.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: j.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(getJob(fake).status, { active: 1, ready: 0, terminating: 0, startTime: '2025-01-01T02:00:00Z', uncountedTerminatedPods: {} });

    finish(fake, p!, 'Succeeded');
    await eventually(() => getJob(fake).status?.succeeded === 1 && pods(fake).length === 2);
    assert.equal(fake.find(refs.pods, 'batch', p!.metadata.name!)!.metadata.finalizers, undefined);
    const second = pods(fake).find((x) => x.metadata.name !== p!.metadata.name)!;
    finish(fake, second, 'Succeeded', '2025-01-01T02:00:09Z');
    await eventually(() => conds(getJob(fake)).length === 2);
    const done = getJob(fake);
    assert.deepEqual(conds(done), [
      'SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods',
      'Complete=True CompletionsReached: Reached expected number of succeeded pods',
    ]);
    assert.equal(done.status.succeeded, 2);
    assert.equal(done.status.active, undefined);
    assert.equal(done.status.completionTime, '2025-01-01T02:00:00Z');
    assert.deepEqual(done.status.uncountedTerminatedPods, {});
    await eventually(() => events.lines.includes('Normal Completed Job completed'));
    assert.deepEqual(events.lines.filter((l) => l.includes('SuccessfulCreate')).length, 2);
  } finally {
    await stop();
  }
});

test('failed pods count against backoffLimit: FailureTarget then Failed with BackoffLimitExceeded', async () => {
  const { fake, events, clock, stop } = setup();
  try {
    fake.seed(jobsRef, job({ backoffLimit: 1 }));
    await eventually(() => pods(fake).length === 1);
    finish(fake, pods(fake)[0]!, 'Failed');
    await eventually(() => getJob(fake).status?.failed === 1);
    // The replacement waits for the pod-failure back-off (10 s after the failure at 02:00:05).
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(pods(fake).filter((p) => p.status?.phase !== 'Failed').length, 0);
    clock.now = Date.parse('2025-01-01T02:00:16Z');
    fake.seed(jobsRef, { ...getJob(fake), metadata: { ...getJob(fake).metadata, labels: { poke: '1' } } });
    await eventually(() => pods(fake).filter((p) => !p.status?.phase).length === 1);
    finish(fake, pods(fake).find((p) => !p.status?.phase)!, 'Failed', '2025-01-01T02:00:20Z');
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('Failed=True')));
    assert.deepEqual(conds(getJob(fake)), [
      'FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit',
      'Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit',
    ]);
    assert.equal(getJob(fake).status.failed, 2);
    await eventually(() => events.lines.includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'));
  } finally {
    await stop();
  }
});

test('activeDeadlineSeconds: active pods are deleted and the Job fails with DeadlineExceeded', async () => {
  const { fake, jc, clock, stop } = setup();
  try {
    fake.seed(jobsRef, job({ activeDeadlineSeconds: 30, parallelism: 2, completions: 4 }));
    await eventually(() => pods(fake).length === 2);
    clock.now += 31_000;
    await jc.sync('batch/pi');
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('FailureTarget')));
    assert.match(conds(getJob(fake))[0]!, /^FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline$/);
    // The pods were deleted with their finalizer (they count as failed); the kubelet stops them.
    await eventually(() => pods(fake).every((p) => p.metadata.deletionTimestamp));
    for (const p of pods(fake)) fake.seed(refs.pods, { ...p, status: { phase: 'Failed' } });
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('Failed=True DeadlineExceeded')));
    assert.equal(getJob(fake).status.failed, 2);
    assert.equal(pods(fake).length, 0);
  } finally {
    await stop();
  }
});

test('suspend deletes the active pods and sets Suspended; resuming resets startTime', async () => {
  const { fake, events, clock, stop } = setup();
  try {
    fake.seed(jobsRef, job({ parallelism: 2, completions: 2 }));
    await eventually(() => pods(fake).length === 2);
    fake.seed(jobsRef, { ...getJob(fake), spec: { ...getJob(fake).spec, suspend: true } });
    await eventually(() => pods(fake).length === 0 && getJob(fake).status?.active === undefined);
    assert.deepEqual(conds(getJob(fake)), ['Suspended=True JobSuspended: Job suspended']);
    assert.equal(getJob(fake).status.failed, undefined);
    clock.now += 60_000;
    fake.seed(jobsRef, { ...getJob(fake), spec: { ...getJob(fake).spec, suspend: false } });
    await eventually(() => pods(fake).length === 2);
    await eventually(() => conds(getJob(fake))[0] === 'Suspended=False JobResumed: Job resumed');
    assert.equal(getJob(fake).status.startTime, '2025-01-01T02:01:00Z');
    assert.ok(events.lines.includes('Normal Suspended Job suspended'));
    await eventually(() => events.lines.includes('Normal Resumed Job resumed'));
  } finally {
    await stop();
  }
});

test('restartPolicy OnFailure: container restarts count against backoffLimit', async () => {
  const { fake, stop } = setup();
  try {
    fake.seed(jobsRef, job({ backoffLimit: 2, template: { ...job().spec.template, spec: { ...job().spec.template.spec, restartPolicy: 'OnFailure' } } }));
    await eventually(() => pods(fake).length === 1);
    const p = pods(fake)[0]!;
    fake.seed(refs.pods, { ...p, status: { phase: 'Running', containerStatuses: [{ name: 'pi', restartCount: 2 }] } });
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('FailureTarget=True BackoffLimitExceeded')));
  } finally {
    await stop();
  }
});

test('ttlSecondsAfterFinished deletes the Job (foreground, with a resourceVersion precondition) once expired', async () => {
  const fake = new FakeCluster();
  const clock = { now: Date.parse('2025-01-01T03:00:00Z') };
  const ttl = new TTLAfterFinishedController({ client: fake, jobs: fake.informer(jobsRef), log: silentLog, now: () => new Date(clock.now) });
  fake.seed(jobsRef, {
    ...job({ ttlSecondsAfterFinished: 100 }),
    status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2025-01-01T02:59:00Z' }] },
  });
  assert.deepEqual(await ttl.sync('batch/pi'), { requeueAfter: 40_000 });
  clock.now += 40_000;
  await ttl.sync('batch/pi');
  const del = fake.actions.find((a) => a.verb === 'delete')!;
  assert.equal(del.name, 'pi');
  assert.deepEqual((del.body as KObject).propagationPolicy, 'Foreground');
  assert.ok((del.body as KObject).preconditions.resourceVersion);
});
