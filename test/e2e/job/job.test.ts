// kubectl 1.31, 1.33 and 1.27 drive batch/v1 Jobs on a real `dabba up`: the generated selector, columns, refusals, and real pods of Indexed Jobs and pod failure policies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { api, exists, kubectlPath, TestCluster } from '../cluster.ts';

const minor = 31;

const jobManifest = (name: string, restartPolicy: string) =>
  JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox', command: ['true'] }], restartPolicy } } },
  });

describe(`Jobs with kubectl 1.${minor}`, async () => {
  const missing = !(await exists(kubectlPath(minor)));
  const opts = { skip: missing ? `skipped: kubectl 1.${minor} not installed` : false };
  let c: TestCluster;
  const k = (...args: string[]) => c.kubectl(minor, args);
  const ok = async (...args: string[]) => {
    const r = await k(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };

  before(async () => {
    if (!missing) c = await TestCluster.start();
  });
  after(async () => {
    await c?.destroy();
  });

  it('creates a Job with a selector on its uid and the job labels on its pods', opts, async () => {
    assert.equal((await ok('create', 'job', 'pi', '--image=busybox', '--', 'sleep', '3600')).trim(), 'job.batch/pi created');
    const job = parse(await ok('get', 'job', 'pi', '-o', 'yaml'));
    const uid: string = job.metadata.uid;
    assert.match(uid, /^[0-9a-f-]{36}$/);
    const generated = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': uid,
      'job-name': 'pi',
    };
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.deepEqual(job.spec.template.metadata.labels, generated);
    assert.deepEqual(job.metadata.labels, generated);
    assert.equal(job.metadata.generation, 1);
    assert.deepEqual(
      [job.spec.completions, job.spec.parallelism, job.spec.backoffLimit, job.spec.completionMode, job.spec.suspend, job.spec.manualSelector],
      [1, 1, 6, 'NonIndexed', false, false],
    );
    assert.equal(job.spec.podReplacementPolicy, 'TerminatingOrFailed');
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    assert.deepEqual(job.spec.template.spec.containers[0].command, ['sleep', '3600']);
  });

  it('lists Jobs with upstream columns, in `get all` and by status.successful', opts, async () => {
    const lines = (await ok('get', 'jobs')).trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/);
    // The pod sleeps, so the Job is still running; DURATION appears once the Job controller has set startTime.
    assert.match(lines[1]!, /^pi\s+Running\s+0\/1\s+(\S+\s+)?\S+$/);
    const wide = (await ok('get', 'jobs', '-o', 'wide')).split('\n')[0]!;
    assert.match(wide, /CONTAINERS\s+IMAGES\s+SELECTOR$/);
    assert.match(await ok('get', 'all'), /job\.batch\/pi/);
    assert.match(await ok('get', 'jobs', '--field-selector', 'status.successful=0', '-o', 'name'), /^job\.batch\/pi$/m);
    assert.equal((await ok('get', 'jobs', '--field-selector', 'status.successful=1', '-o', 'name')).trim(), '');
  });

  it('refuses a restartPolicy a Job cannot have, with upstream messages', opts, async () => {
    const always = await c.kubectl(minor, ['create', '-f', '-'], jobManifest('always', 'Always'));
    assert.notEqual(always.code, 0);
    assert.equal(
      always.stderr.trim(),
      'The Job "always" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    );
    const sometimes = await c.kubectl(minor, ['create', '-f', '-'], jobManifest('sometimes', 'Sometimes'));
    assert.notEqual(sometimes.code, 0);
    assert.match(sometimes.stderr, /spec\.template\.spec\.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"/);
    const onFailure = await c.kubectl(minor, ['create', '-f', '-'], jobManifest('retry', 'OnFailure'));
    assert.equal(onFailure.code, 0, onFailure.stderr);
  });

  it('keeps the pod template fixed but lets parallelism change, bumping the generation', opts, async () => {
    const image = await k('set', 'image', 'job/pi', 'pi=alpine');
    assert.notEqual(image.code, 0);
    assert.match(image.stderr, /Job\.batch "pi" is invalid: spec\.template: Invalid value: .*: field is immutable/);
    await ok('patch', 'job', 'pi', '--type=merge', '-p', '{"spec":{"parallelism":2}}');
    const job = parse(await ok('get', 'job', 'pi', '-o', 'yaml'));
    assert.equal(job.spec.parallelism, 2);
    assert.equal(job.metadata.generation, 2);
  });
});

const jobJson = (name: string, spec: Record<string, unknown>, container: Record<string, unknown>, podSpec: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', ...container }], ...podSpec } } },
  });

describe('Jobs run for real (kubectl 1.33 and 1.27)', async () => {
  const missing: string[] = [];
  for (const m of [33, 27]) if (!(await exists(kubectlPath(m)))) missing.push(`1.${m}`);
  const have = missing.length === 0;
  const opts = { skip: have ? false : `skipped: kubectl ${missing.join(' and ')} not installed`, timeout: 120_000 };
  let c: TestCluster;
  const ok = async (minor: number, args: string[], input?: string) => {
    const r = await c.kubectl(minor, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}\n${c.log.slice(-3000)}`);
    return r.stdout;
  };

  before(async () => {
    if (have) c = await TestCluster.start([], { DABBA_RUNTIME: process.env.DABBA_E2E_RUNTIME ?? 'auto' });
  });
  after(async () => {
    await c?.destroy();
  });

  it('an Indexed Job runs each index once, with JOB_COMPLETION_INDEX, hostname and completedIndexes (kubectl 1.33)', opts, async () => {
    const manifest = jobJson('indexed', { completions: 3, parallelism: 2, completionMode: 'Indexed' }, { command: ['sh', '-c', 'echo "index $JOB_COMPLETION_INDEX on $HOSTNAME"'] });
    assert.equal((await ok(33, ['create', '-f', '-'], manifest)).trim(), 'job.batch/indexed created');
    await ok(33, ['wait', '--for=condition=complete', 'job/indexed', '--timeout=90s']);
    const lines = (await ok(33, ['get', 'job', 'indexed'])).trimEnd().split('\n');
    assert.match(lines[1]!, /^indexed\s+Complete\s+3\/3\s+\S+\s+\S+$/);
    const job = JSON.parse(await ok(33, ['get', 'job', 'indexed', '-o', 'json']));
    assert.equal(job.status.completedIndexes, '0-2');
    assert.equal(job.status.succeeded, 3);
    assert.deepEqual(
      job.status.conditions.map((x: { type: string; reason: string }) => `${x.type} ${x.reason}`),
      ['SuccessCriteriaMet CompletionsReached', 'Complete CompletionsReached'],
    );
    const pods = JSON.parse(await ok(33, ['get', 'pods', '-l', 'batch.kubernetes.io/job-name=indexed', '-o', 'json'])).items;
    assert.equal(pods.length, 3);
    for (const p of pods) {
      const ix = p.metadata.annotations['batch.kubernetes.io/job-completion-index'];
      assert.equal(p.metadata.labels['batch.kubernetes.io/job-completion-index'], ix);
      assert.match(p.metadata.name, new RegExp(`^indexed-${ix}-[a-z0-9]{5}$`));
      assert.equal(p.spec.hostname, `indexed-${ix}`);
      assert.equal(p.status.phase, 'Succeeded');
      assert.deepEqual(p.spec.containers[0].env, [
        { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
      ]);
      assert.equal((await ok(33, ['logs', p.metadata.name])).trim(), `index ${ix} on indexed-${ix}`);
    }
    assert.deepEqual(pods.map((p: { metadata: { annotations: Record<string, string> } }) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1', '2']);
  });

  it("a podFailurePolicy FailJob rule on exit code 42 fails the Job with upstream's condition (kubectl 1.27)", opts, async () => {
    const manifest = jobJson(
      'pfp',
      { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] } },
      { command: ['sh', '-c', 'exit 42'] },
    );
    assert.equal((await ok(27, ['create', '-f', '-'], manifest)).trim(), 'job.batch/pfp created');
    await ok(27, ['wait', '--for=condition=failed', 'job/pfp', '--timeout=90s']);
    const job = JSON.parse(await ok(27, ['get', 'job', 'pfp', '-o', 'json']));
    const pods = JSON.parse(await ok(27, ['get', 'pods', '-l', 'batch.kubernetes.io/job-name=pfp', '-o', 'json'])).items;
    assert.equal(pods.length, 1, 'no pod is started after the FailJob rule matched');
    const msg = `Container main for pod default/${pods[0].metadata.name} failed with exit code 42 matching FailJob rule at index 0`;
    assert.deepEqual(
      job.status.conditions.map((x: { type: string; status: string; reason: string; message: string }) => `${x.type}=${x.status} ${x.reason}: ${x.message}`),
      [`FailureTarget=True PodFailurePolicy: ${msg}`, `Failed=True PodFailurePolicy: ${msg}`],
    );
    assert.equal(job.status.failed, 1);
    assert.equal(job.spec.podReplacementPolicy, 'Failed');
    assert.match((await ok(27, ['get', 'job', 'pfp'])).split('\n')[1]!, /^pfp\s+Failed\s+0\/1\s/);
    const events = await ok(27, ['get', 'events', '--field-selector', 'involvedObject.name=pfp', '-o', 'custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message', '--no-headers']);
    assert.match(events, new RegExp(`Warning\\s+PodFailurePolicy\\s+${msg.replace(/[/.]/g, '\\$&')}`));
  });

  it('an evicted pod gets DisruptionTarget; an Ignore rule on it keeps the Job from failing and the pod is replaced (kubectl 1.33)', opts, async () => {
    const manifest = jobJson(
      'evicted',
      { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } },
      { command: ['sleep', '3600'] },
      { terminationGracePeriodSeconds: 1 },
    );
    await ok(33, ['create', '-f', '-'], manifest);
    type Pod = { metadata: { name: string; deletionTimestamp?: string }; status: { phase?: string; conditions?: { type: string; reason?: string }[] } };
    const podsOf = async (): Promise<Pod[]> => JSON.parse(await ok(33, ['get', 'pods', '-l', 'batch.kubernetes.io/job-name=evicted', '-o', 'json'])).items;
    await ok(33, ['wait', '--for=jsonpath={.status.ready}=1', 'job/evicted', '--timeout=60s']);
    const [first] = await podsOf();
    const r = await api(c, 'POST', `/api/v1/namespaces/default/pods/${first!.metadata.name}/eviction`, {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: first!.metadata.name, namespace: 'default' } },
    });
    assert.equal(r.status, 201, r.body);
    const marked = (await podsOf()).find((p) => p.metadata.name === first!.metadata.name);
    if (marked) assert.ok(marked.status.conditions?.some((x) => x.type === 'DisruptionTarget' && x.reason === 'EvictionByEvictionAPI'), JSON.stringify(marked.status));
    // The replacement comes after the pod-failure back-off (10 s), as upstream's.
    let pods: Pod[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((res) => setTimeout(res, 500))) {
      pods = await podsOf();
      if (pods.length === 1 && pods[0]!.metadata.name !== first!.metadata.name && pods[0]!.status.phase === 'Running') break;
    }
    assert.equal(pods.length, 1, JSON.stringify(pods.map((p) => p.metadata.name)));
    assert.notEqual(pods[0]!.metadata.name, first!.metadata.name, 'the evicted pod is gone once counted, and replaced');
    const job = JSON.parse(await ok(33, ['get', 'job', 'evicted', '-o', 'json']));
    assert.equal(job.status.failed, undefined, 'an ignored failure is not counted against backoffLimit 0');
    assert.equal(job.status.conditions, undefined);
  });

  it("refuses a bad podFailurePolicy with upstream's messages (kubectl 1.33 and 1.27)", opts, async () => {
    const bad = jobJson(
      'bad-pfp',
      { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 42] } }, { action: 'FailIndex', onPodConditions: [{ type: 'DisruptionTarget' }] }] } },
      { command: ['true'] },
      { restartPolicy: 'OnFailure' },
    );
    const want = [
      'The Job "bad-pfp" is invalid: ',
      '* spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
      '* spec.podFailurePolicy.rules[1].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
      '* spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    ].join('\n');
    for (const minor of [33, 27]) {
      const r = await c.kubectl(minor, ['create', '-f', '-'], bad);
      assert.notEqual(r.code, 0);
      assert.equal(r.stderr.trim(), want, `kubectl 1.${minor}`);
    }
    const replacement = await c.kubectl(
      33,
      ['create', '-f', '-'],
      jobJson('bad-replacement', { podReplacementPolicy: 'TerminatingOrFailed', podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }, { command: ['true'] }),
    );
    assert.equal(replacement.stderr.trim(), 'The Job "bad-replacement" is invalid: spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"');
  });
});
