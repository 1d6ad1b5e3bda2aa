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

/** Plays the kubelet: the pod's container exits with `exitCode`, with extra pod conditions if given. */
function exit(fake: FakeCluster, pod: KObject, exitCode: number, conditions: object[] = [], at = '2025-01-01T02:00:05Z') {
  fake.seed(refs.pods, {
    ...pod,
    status: {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      conditions,
      containerStatuses: [{ name: 'pi', restartCount: 0, state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: at } } }],
    },
  });
}

const indexOf = (p: KObject) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
const running = (fake: FakeCluster) => pods(fake).filter((p) => !p.status?.phase && !p.metadata.deletionTimestamp);
const byIndex = (fake: FakeCluster, ix: string) => running(fake).find((p) => indexOf(p) === ix)!;

test('Indexed: each pod gets its index (annotation, label, env through the label, hostname, name) and completedIndexes tracks them', async () => {
  const { fake, events, stop } = setup();
  try {
    fake.seed(jobsRef, job({ completionMode: 'Indexed', completions: 3, parallelism: 2, template: { ...job().spec.template, spec: { ...job().spec.template.spec, subdomain: 'workers' } } }));
    await eventually(() => pods(fake).length === 2 && getJob(fake).status?.active === 2);
    assert.deepEqual(pods(fake).map(indexOf).sort(), ['0', '1']);
    const p0 = byIndex(fake, '0');
    assert.match(p0.metadata.name!, /^pi-0-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(p0.metadata.labels!['batch.kubernetes.io/job-completion-index'], '0');
    assert.equal(p0.spec.hostname, 'pi-0');
    assert.equal(p0.spec.subdomain, 'workers');
    assert.deepEqual(p0.spec.containers[0].env, [
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    // Index 1 finishes first: the next pod runs index 2, not 0 again.
    exit(fake, byIndex(fake, '1'), 0);
    await eventually(() => getJob(fake).status?.completedIndexes === '1' && running(fake).length === 2);
    assert.deepEqual(running(fake).map(indexOf).sort(), ['0', '2']);
    assert.equal(getJob(fake).status.succeeded, 1);
    exit(fake, byIndex(fake, '2'), 0);
    await eventually(() => getJob(fake).status?.completedIndexes === '1,2');
    exit(fake, byIndex(fake, '0'), 0);
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('Complete=True')));
    const done = getJob(fake);
    assert.equal(done.status.completedIndexes, '0-2');
    assert.equal(done.status.succeeded, 3);
    assert.equal(done.status.failedIndexes, undefined);
    assert.deepEqual(conds(done), [
      'SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods',
      'Complete=True CompletionsReached: Reached expected number of succeeded pods',
    ]);
    assert.equal(events.lines.filter((l) => l.startsWith('Normal SuccessfulCreate Created pod: pi-')).length, 3);
  } finally {
    await stop();
  }
});

test('Indexed: a pod with a repeated index is removed, keeping one per index', async () => {
  const { fake, stop } = setup();
  try {
    const j = fake.seed(jobsRef, job({ completionMode: 'Indexed', completions: 2, parallelism: 2 }));
    await eventually(() => pods(fake).length === 2);
    const dup = structuredClone(byIndex(fake, '1'));
    delete dup.metadata.uid;
    dup.metadata = { ...dup.metadata, name: 'pi-1-extra', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: j.metadata.uid!, controller: true }] };
    fake.seed(refs.pods, dup);
    await eventually(() => running(fake).length === 2 && new Set(running(fake).map(indexOf)).size === 2);
    assert.ok(fake.writes().some((w) => w.startsWith('delete pods batch/pi-1-')));
  } finally {
    await stop();
  }
});

const pfpJob = (rules: object[], extra: Record<string, unknown> = {}) =>
  job({ podFailurePolicy: { rules }, podReplacementPolicy: 'Failed', backoffLimit: 6, ...extra });

test('podFailurePolicy FailJob: FailureTarget with the matched container and rule, then Failed once no pod is left', async () => {
  const { fake, events, stop } = setup();
  try {
    fake.seed(jobsRef, pfpJob([{ action: 'FailJob', onExitCodes: { containerName: 'pi', operator: 'In', values: [42] } }], { parallelism: 2, completions: 2 }));
    await eventually(() => pods(fake).length === 2);
    const [a, b] = pods(fake);
    // A finalizer of someone else keeps b around while it terminates, as the kubelet's grace period would.
    fake.seed(refs.pods, { ...b!, metadata: { ...b!.metadata, finalizers: [...b!.metadata.finalizers!, 'example.com/hold'] } });
    exit(fake, a!, 42);
    const msg = `Container pi for pod batch/${a!.metadata.name} failed with exit code 42 matching FailJob rule at index 0`;
    await eventually(() => conds(getJob(fake)).includes(`FailureTarget=True PodFailurePolicy: ${msg}`));
    // The other pod is being deleted: Failed waits for it (status.terminating).
    await eventually(() => getJob(fake).status?.terminating === 1);
    await eventually(() => getJob(fake).status?.terminating === 1);
    assert.ok(!conds(getJob(fake)).some((c: string) => c.startsWith('Failed')));
    exit(fake, fake.find(refs.pods, 'batch', b!.metadata.name!)!, 137);
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('Failed=True')));
    assert.deepEqual(conds(getJob(fake)), [`FailureTarget=True PodFailurePolicy: ${msg}`, `Failed=True PodFailurePolicy: ${msg}`]);
    assert.equal(getJob(fake).status.failed, 2);
    assert.equal(getJob(fake).status.terminating, 0);
    await eventually(() => events.lines.includes(`Warning PodFailurePolicy ${msg}`));
  } finally {
    await stop();
  }
});

test('podFailurePolicy Ignore on DisruptionTarget: the failure is not counted; the pod is replaced after the back-off', async () => {
  const { fake, clock, jc, stop } = setup();
  try {
    fake.seed(jobsRef, pfpJob([{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }], { backoffLimit: 0 }));
    await eventually(() => pods(fake).length === 1);
    const evicted = pods(fake)[0]!;
    exit(fake, evicted, 137, [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }]);
    await eventually(() => !fake.find(refs.pods, 'batch', evicted.metadata.name!)?.metadata.finalizers);
    clock.now = Date.parse('2025-01-01T02:00:16Z');
    await jc.sync('batch/pi');
    await eventually(() => running(fake).length === 1);
    const j = getJob(fake);
    assert.equal(j.status.failed, undefined);
    assert.deepEqual(conds(j), []);
    // A failure no rule matches counts: with backoffLimit 0 the Job fails.
    exit(fake, running(fake)[0]!, 1);
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('Failed=True BackoffLimitExceeded')));
    assert.equal(getJob(fake).status.failed, 1);
  } finally {
    await stop();
  }
});

test('podReplacementPolicy Failed: a deleted pod is replaced only once it has failed', async () => {
  const { fake, clock, jc, stop } = setup();
  try {
    fake.seed(jobsRef, job({ podReplacementPolicy: 'Failed' }));
    await eventually(() => pods(fake).length === 1);
    const p = pods(fake)[0]!;
    await fake.delete(refs.pods, 'batch', p.metadata.name!);
    await eventually(() => getJob(fake).status?.terminating === 1 && getJob(fake).status?.active === undefined);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(pods(fake).length, 1);
    exit(fake, fake.find(refs.pods, 'batch', p.metadata.name!)!, 137);
    await eventually(() => getJob(fake).status?.failed === 1 && getJob(fake).status?.terminating === 0);
    clock.now = Date.parse('2025-01-01T02:00:16Z');
    await jc.sync('batch/pi');
    await eventually(() => running(fake).length === 1);
    assert.equal(getJob(fake).status.terminating, 0);
  } finally {
    await stop();
  }
});

test('podReplacementPolicy TerminatingOrFailed: a deleted pod counts as failed and is replaced while it terminates', async () => {
  const { fake, stop } = setup();
  try {
    fake.seed(jobsRef, job({ podReplacementPolicy: 'TerminatingOrFailed' }));
    await eventually(() => pods(fake).length === 1);
    await fake.delete(refs.pods, 'batch', pods(fake)[0]!.metadata.name!);
    await eventually(() => getJob(fake).status?.failed === 1);
  } finally {
    await stop();
  }
});

test('backoffLimitPerIndex: failures carry over in the index annotations; a used-up index is failed and the Job fails with FailedIndexes', async () => {
  const { fake, clock, jc, stop } = setup();
  try {
    fake.seed(jobsRef, job({ completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimitPerIndex: 1, backoffLimit: 2147483647 }));
    await eventually(() => pods(fake).length === 2);
    assert.equal(byIndex(fake, '0').metadata.annotations!['batch.kubernetes.io/job-index-failure-count'], '0');
    const first = byIndex(fake, '0');
    exit(fake, first, 1);
    await jc.sync('batch/pi');
    assert.equal(getJob(fake).status.failedIndexes, '');
    // The failed pod keeps its finalizer until its replacement exists (after the 10 s back-off of the index).
    assert.deepEqual(fake.find(refs.pods, 'batch', first.metadata.name!)!.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    clock.now = Date.parse('2025-01-01T02:00:16Z');
    await jc.sync('batch/pi');
    await eventually(() => running(fake).length === 2);
    const second = byIndex(fake, '0');
    assert.equal(second.metadata.annotations!['batch.kubernetes.io/job-index-failure-count'], '1');
    await eventually(() => getJob(fake).status?.failed === 1);
    exit(fake, byIndex(fake, '1'), 0);
    await eventually(() => getJob(fake).status?.completedIndexes === '1');
    exit(fake, second, 1, [], '2025-01-01T02:00:20Z');
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('Failed=True')));
    const done = getJob(fake);
    assert.equal(done.status.failedIndexes, '0');
    assert.equal(done.status.completedIndexes, '1');
    assert.deepEqual(conds(done), ['FailureTarget=True FailedIndexes: Job has failed indexes', 'Failed=True FailedIndexes: Job has failed indexes']);
  } finally {
    await stop();
  }
});

test('backoffLimitPerIndex: FailIndex fails the index at once; maxFailedIndexes exceeded fails the Job', async () => {
  const { fake, stop } = setup();
  try {
    fake.seed(
      jobsRef,
      pfpJob([{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }], {
        completionMode: 'Indexed',
        completions: 3,
        parallelism: 3,
        backoffLimitPerIndex: 5,
        maxFailedIndexes: 0,
        backoffLimit: 2147483647,
      }),
    );
    await eventually(() => pods(fake).length === 3);
    exit(fake, byIndex(fake, '2'), 3);
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('FailureTarget=True MaxFailedIndexesExceeded')));
    assert.equal(getJob(fake).status.failedIndexes, '2');
    assert.match(conds(getJob(fake))[0]!, /: Job has exceeded the specified maximal number of failed indexes$/);
  } finally {
    await stop();
  }
});

test('successPolicy: SuccessCriteriaMet with SuccessPolicy, the rest of the pods are deleted, then Complete', async () => {
  const { fake, events, stop } = setup();
  try {
    fake.seed(jobsRef, job({ completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0' }] } }));
    await eventually(() => pods(fake).length === 3);
    for (const ix of ['1', '2']) {
      const p = byIndex(fake, ix);
      fake.seed(refs.pods, { ...p, metadata: { ...p.metadata, finalizers: [...p.metadata.finalizers!, 'example.com/hold'] } });
    }
    exit(fake, byIndex(fake, '0'), 0);
    await eventually(() => conds(getJob(fake)).includes('SuccessCriteriaMet=True SuccessPolicy: Matched rules at index 0'));
    await eventually(() => pods(fake).filter((p) => p.metadata.deletionTimestamp).length === 2);
    assert.ok(!conds(getJob(fake)).some((c: string) => c.startsWith('Complete')));
    for (const p of pods(fake).filter((x) => x.metadata.deletionTimestamp)) fake.seed(refs.pods, { ...p, status: { phase: 'Failed' } });
    await eventually(() => conds(getJob(fake)).some((c: string) => c.startsWith('Complete=True')));
    const done = getJob(fake);
    assert.deepEqual(conds(done), ['SuccessCriteriaMet=True SuccessPolicy: Matched rules at index 0', 'Complete=True SuccessPolicy: Matched rules at index 0']);
    assert.equal(done.status.completedIndexes, '0');
    assert.equal(done.status.failed, undefined);
    assert.ok(done.status.completionTime);
    await eventually(() => events.lines.includes('Normal Completed Job completed'));
  } finally {
    await stop();
  }
});
