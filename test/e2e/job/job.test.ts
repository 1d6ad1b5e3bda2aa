// kubectl 1.31 drives batch/v1 Jobs on a real `dabba up`: create, the generated selector, columns and upstream's refusals.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { exists, kubectlPath, TestCluster } from '../cluster.ts';

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
