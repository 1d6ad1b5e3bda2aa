import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { setDefaults } from './defaults.ts';
import { strategy } from './strategy.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const uid = '5f0c2a8e-1111-4222-8333-944455556666';

/** What `kubectl create job pi --image=busybox -- echo hi` sends. */
function kubectlCreateJob(): KObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default' },
    spec: {
      template: {
        metadata: {},
        spec: { containers: [{ name: 'pi', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' },
      },
    },
    status: {},
  };
}

/** The store's order on create: defaults, system fields, prepareForCreate. */
function create(obj: KObject): KObject {
  strategy.defaults!(obj);
  obj.metadata.uid = uid;
  strategy.prepareForCreate!(obj);
  return obj;
}

test('kubectl create job gets upstream defaults and a generated selector', () => {
  const job = create(kubectlCreateJob());
  const generated = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': uid,
    'job-name': 'pi',
  };
  assert.deepEqual(job, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid, generation: 1, labels: generated },
    spec: {
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      manualSelector: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      template: {
        metadata: { labels: generated },
        spec: {
          containers: [
            {
              name: 'pi',
              image: 'busybox',
              command: ['echo', 'hi'],
              resources: {},
              imagePullPolicy: 'Always',
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
            },
          ],
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
    },
    status: {},
  });
  // The Job's labels are its own copy, not the template's map.
  const j: KObject = job;
  assert.deepEqual(strategy.validate!(j), []);
  j.spec.template.metadata.labels.extra = 'x';
  assert.equal(j.metadata.labels!['extra'], undefined);
});

test('SetDefaults_Job rules, table-driven', () => {
  const cases: { name: string; spec: Json; metadata?: Json; check: (j: KObject) => void }[] = [
    {
      name: 'only parallelism: completions stay unset (a work queue)',
      spec: { parallelism: 3 },
      check: (j) => {
        assert.equal(j.spec.completions, undefined);
        assert.equal(j.spec.parallelism, 3);
      },
    },
    {
      name: 'only completions: parallelism 1',
      spec: { completions: 5 },
      check: (j) => assert.deepEqual([j.spec.completions, j.spec.parallelism], [5, 1]),
    },
    { name: 'explicit zero parallelism stays', spec: { parallelism: 0 }, check: (j) => assert.equal(j.spec.parallelism, 0) },
    { name: 'explicit backoffLimit stays', spec: { backoffLimit: 0 }, check: (j) => assert.equal(j.spec.backoffLimit, 0) },
    {
      name: 'a per-index backoff limit makes backoffLimit MaxInt32',
      spec: { completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 },
      check: (j) => assert.equal(j.spec.backoffLimit, 2147483647),
    },
    {
      name: 'a pod failure policy makes pods be replaced once Failed, and pattern status True',
      spec: { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } },
      check: (j) => {
        assert.equal(j.spec.podReplacementPolicy, 'Failed');
        assert.equal(j.spec.podFailurePolicy.rules[0].onPodConditions[0].status, 'True');
      },
    },
    { name: 'Indexed stays', spec: { completionMode: 'Indexed' }, check: (j) => assert.equal(j.spec.completionMode, 'Indexed') },
    { name: 'suspend true stays', spec: { suspend: true }, check: (j) => assert.equal(j.spec.suspend, true) },
    { name: 'manualSelector true stays', spec: { manualSelector: true }, check: (j) => assert.equal(j.spec.manualSelector, true) },
    {
      name: 'no restartPolicy defaults to Always, as for every pod template (validation refuses it)',
      spec: { template: { spec: { containers: [{ name: 'a', image: 'a' }] } } },
      check: (j) => assert.equal(j.spec.template.spec.restartPolicy, 'Always'),
    },
    {
      name: 'a Job without labels takes the template labels',
      spec: { template: { metadata: { labels: { app: 'batch' } } } },
      check: (j) => assert.deepEqual(j.metadata.labels, { app: 'batch' }),
    },
    {
      name: 'a Job with labels keeps its own',
      metadata: { name: 'x', labels: { team: 'a' } },
      spec: { template: { metadata: { labels: { app: 'batch' } } } },
      check: (j) => assert.deepEqual(j.metadata.labels, { team: 'a' }),
    },
  ];
  for (const c of cases) {
    const j: KObject = { metadata: c.metadata ?? { name: 'x' }, spec: c.spec };
    setDefaults(j);
    c.check(j);
  }
});

test('generated labels: a user label is kept, manualSelector leaves everything alone, Job labels follow the template', () => {
  const cases: { name: string; edit: (j: Json) => void; check: (j: KObject) => void }[] = [
    {
      name: 'template labels given, no Job labels: the Job gets them and the generated ones',
      edit: (j) => (j.spec.template.metadata.labels = { app: 'pi' }),
      check: (j) => {
        assert.deepEqual(Object.keys(j.metadata.labels!).sort(), ['app', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'controller-uid', 'job-name']);
        assert.deepEqual(j.metadata.labels, j.spec.template.metadata.labels);
      },
    },
    {
      name: 'Job labels given: they stay as they were',
      edit: (j) => (j.metadata.labels = { team: 'a' }),
      check: (j) => assert.deepEqual(j.metadata.labels, { team: 'a' }),
    },
    {
      name: 'a user-set job-name label is not overwritten',
      edit: (j) => (j.spec.template.metadata.labels = { 'job-name': 'other' }),
      check: (j) => assert.equal(j.spec.template.metadata.labels['job-name'], 'other'),
    },
    {
      name: 'manualSelector: no generated selector or labels',
      edit: (j) => {
        j.spec.manualSelector = true;
        j.spec.selector = { matchLabels: { app: 'pi' } };
        j.spec.template.metadata.labels = { app: 'pi' };
      },
      check: (j) => {
        assert.deepEqual(j.spec.selector, { matchLabels: { app: 'pi' } });
        assert.deepEqual(j.spec.template.metadata.labels, { app: 'pi' });
        assert.deepEqual(j.metadata.labels, { app: 'pi' });
      },
    },
  ];
  for (const c of cases) {
    const j = kubectlCreateJob();
    c.edit(j);
    c.check(create(j));
  }
});

test('updates keep the status and bump the generation only for spec changes', () => {
  const old = create(kubectlCreateJob());
  old.metadata.resourceVersion = '5';
  old.status = { active: 1, startTime: '2025-01-01T00:00:00Z' };
  const cases: { name: string; edit: (j: Json) => void; generation: number }[] = [
    { name: 'label only', edit: (j) => (j.metadata.labels = { ...j.metadata.labels, team: 'a' }), generation: 1 },
    { name: 'status sent by the client is ignored', edit: (j) => (j.status = { succeeded: 9 }), generation: 1 },
    { name: 'parallelism', edit: (j) => (j.spec.parallelism = 2), generation: 2 },
    { name: 'suspend', edit: (j) => (j.spec.suspend = true), generation: 2 },
  ];
  for (const c of cases) {
    const j: KObject = structuredClone(old);
    c.edit(j);
    strategy.defaults!(j);
    strategy.prepareForUpdate!(j, old);
    assert.equal(j.metadata.generation, c.generation, c.name);
    assert.deepEqual(j.status, old.status, c.name);
  }
});

test('status.successful is a selectable field', () => {
  assert.deepEqual(strategy.selectableFields!({ metadata: {}, status: { succeeded: 2 } }), { 'status.successful': '2' });
  assert.deepEqual(strategy.selectableFields!({ metadata: {} }), { 'status.successful': '0' });
});
