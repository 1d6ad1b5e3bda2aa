import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const uid = '0b6a3c1e-aaaa-4bbb-8ccc-000011112222';
const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());

/** A valid Job, changed by `edit` before defaulting (as a client would send it), then prepared as the store does. */
function job(edit: (j: Json) => void = () => {}): KObject {
  const j: KObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default' },
    spec: {
      template: { spec: { containers: [{ name: 'pi', image: 'busybox' }], restartPolicy: 'Never' } },
    },
  };
  edit(j);
  strategy.defaults!(j);
  j.metadata.uid = uid;
  strategy.prepareForCreate!(j);
  return j;
}

/** An update of `old` by `edit`, prepared as the store does. */
function update(old: KObject, edit: (j: Json) => void): KObject {
  const j: KObject = structuredClone(old);
  edit(j);
  strategy.defaults!(j);
  strategy.prepareForUpdate!(j, old);
  return j;
}

/** A status write: the stored Job with a new status. */
function statusWrite(old: KObject, status: Json): KObject {
  const j: KObject = structuredClone(old);
  j.status = status;
  return j;
}

const selectorRepr = (labels: Record<string, string>) =>
  `v1.LabelSelector{MatchLabels:map[string]string{${Object.entries(labels)
    .map(([k, v]) => `"${k}":"${v}"`)
    .join(', ')}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;

test('job specs are validated with upstream messages', () => {
  const cases: { name: string; edit: (j: Json) => void; want: string[] }[] = [
    { name: 'valid', edit: () => {}, want: [] },
    { name: 'OnFailure is fine', edit: (j) => (j.spec.template.spec.restartPolicy = 'OnFailure'), want: [] },
    {
      name: 'restartPolicy Always',
      edit: (j) => (j.spec.template.spec.restartPolicy = 'Always'),
      want: ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    },
    {
      name: 'restartPolicy unset (defaulted to Always)',
      edit: (j) => delete j.spec.template.spec.restartPolicy,
      want: ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    },
    {
      name: 'an unknown restartPolicy fails the pod check and the Job check',
      edit: (j) => (j.spec.template.spec.restartPolicy = 'Sometimes'),
      want: [
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
      ],
    },
    {
      name: 'negative counts and durations',
      edit: (j) => Object.assign(j.spec, { parallelism: -1, completions: -2, activeDeadlineSeconds: -3, backoffLimit: -4, ttlSecondsAfterFinished: -5 }),
      want: [
        'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
        'spec.completions: Invalid value: -2: must be greater than or equal to 0',
        'spec.activeDeadlineSeconds: Invalid value: -3: must be greater than or equal to 0',
        'spec.backoffLimit: Invalid value: -4: must be greater than or equal to 0',
        'spec.ttlSecondsAfterFinished: Invalid value: -5: must be greater than or equal to 0',
      ],
    },
    { name: 'zero is allowed', edit: (j) => Object.assign(j.spec, { parallelism: 0, completions: 0, activeDeadlineSeconds: 0, ttlSecondsAfterFinished: 0 }), want: [] },
    {
      name: 'unknown completionMode',
      edit: (j) => (j.spec.completionMode = 'Sideways'),
      want: ['spec.completionMode: Unsupported value: "Sideways": supported values: "NonIndexed", "Indexed"'],
    },
    {
      name: 'Indexed without completions',
      edit: (j) => Object.assign(j.spec, { completionMode: 'Indexed', parallelism: 2 }),
      want: ['spec.completions: Required value: when completion mode is Indexed'],
    },
    {
      name: 'per-index limits need Indexed',
      edit: (j) => Object.assign(j.spec, { backoffLimitPerIndex: 1, maxFailedIndexes: 1 }),
      want: [
        'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
        'spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode',
      ],
    },
    {
      name: 'maxFailedIndexes needs backoffLimitPerIndex, and at most completions',
      edit: (j) => Object.assign(j.spec, { completionMode: 'Indexed', completions: 2, maxFailedIndexes: 3 }),
      want: [
        'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified',
        'spec.maxFailedIndexes: Invalid value: 3: must be less than or equal to completions',
      ],
    },
    {
      name: 'Indexed pod hostnames must be DNS labels',
      edit: (j) => {
        j.metadata.name = 'a'.repeat(62);
        Object.assign(j.spec, { completionMode: 'Indexed', completions: 10 });
      },
      want: [`metadata.name: Invalid value: "${'a'.repeat(62)}": will not able to create pod with invalid DNS label: ${'a'.repeat(62)}-9`],
    },
    {
      name: 'manualSelector without a selector',
      edit: (j) => {
        j.spec.manualSelector = true;
        j.spec.template.metadata = { labels: { app: 'pi' } };
      },
      want: ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"pi"}: `selector` does not match template `labels`'],
    },
    {
      name: 'manualSelector with a matching selector',
      edit: (j) => {
        j.spec.manualSelector = true;
        j.spec.selector = { matchLabels: { app: 'pi' } };
        j.spec.template.metadata = { labels: { app: 'pi' } };
      },
      want: [],
    },
    {
      name: 'a conflicting job-name label on the template',
      edit: (j) => (j.spec.template.metadata = { labels: { 'job-name': 'other' } }),
      want: [
        `spec.template.metadata.labels[job-name]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"${uid}", "batch.kubernetes.io/job-name":"pi", "controller-uid":"${uid}", "job-name":"other"}: must be 'pi'`,
      ],
    },
    {
      name: 'a selector on another uid is not the generated one',
      edit: (j) => (j.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } }),
      want: [
        `spec.selector: Invalid value: ${selectorRepr({ 'batch.kubernetes.io/controller-uid': 'other' })}: \`selector\` not auto-generated`,
        `spec.template.metadata.labels: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"${uid}", "batch.kubernetes.io/job-name":"pi", "controller-uid":"${uid}", "job-name":"pi"}: \`selector\` does not match template \`labels\``,
      ],
    },
    {
      name: 'unknown podReplacementPolicy',
      edit: (j) => (j.spec.podReplacementPolicy = 'Sometimes'),
      want: ['spec.podReplacementPolicy: Unsupported value: "Sometimes": supported values: "Failed", "TerminatingOrFailed"'],
    },
    {
      name: 'a pod failure policy wants Never and Failed',
      edit: (j) => {
        j.spec.template.spec.restartPolicy = 'OnFailure';
        j.spec.podReplacementPolicy = 'TerminatingOrFailed';
        j.spec.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] };
      },
      want: [
        'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
        'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
      ],
    },
    {
      name: 'pod failure policy rules',
      edit: (j) =>
        (j.spec.podFailurePolicy = {
          rules: [
            { action: 'Retry', onExitCodes: { operator: 'In', containerName: 'nope', values: [3, 0, 3] } },
            { action: '' },
            { action: 'FailIndex', onExitCodes: { operator: 'Maybe', values: [1] }, onPodConditions: [{ type: 'DisruptionTarget', status: 'Perhaps' }] },
          ],
        }),
      want: [
        'spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
        'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
        'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator',
        'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3',
        'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{3, 0, 3}: must be ordered',
        'spec.podFailurePolicy.rules[1].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
        'spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
        'spec.podFailurePolicy.rules[2].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
        'spec.podFailurePolicy.rules[2].onExitCodes.operator: Unsupported value: "Maybe": supported values: "In", "NotIn"',
        'spec.podFailurePolicy.rules[2].onPodConditions[0].status: Unsupported value: "Perhaps": supported values: "False", "True", "Unknown"',
        'spec.podFailurePolicy.rules[2]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported',
      ],
    },
    {
      name: 'a success policy needs Indexed',
      edit: (j) => (j.spec.successPolicy = { rules: [{ succeededIndexes: '0' }] }),
      want: [
        'spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{batch.SuccessPolicyRule{SucceededIndexes:(*string)(0xc000010000), SucceededCount:(*int32)(nil)}}}: requires indexed completion mode',
      ],
    },
    {
      name: 'success policy rules',
      edit: (j) => {
        Object.assign(j.spec, { completionMode: 'Indexed', completions: 3 });
        j.spec.successPolicy = { rules: [{ succeededIndexes: '0-5', succeededCount: 4 }, {}, { succeededIndexes: '0,2', succeededCount: 3 }, { succeededIndexes: '2,1' }] };
      },
      want: [
        'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-5": error parsing succeededIndexes: too large index: "5"',
        'spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)',
        'spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)',
        'spec.successPolicy.rules[1]: Required value: at least one of succeededCount or succeededIndexes must be specified',
        'spec.successPolicy.rules[2].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)',
        'spec.successPolicy.rules[3].succeededIndexes: Invalid value: "2,1": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1',
      ],
    },
    {
      name: 'managedBy must be a domain-prefixed path',
      edit: (j) => (j.spec.managedBy = 'kueue'),
      want: ['spec.managedBy: Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")'],
    },
    { name: 'a domain-prefixed managedBy', edit: (j) => (j.spec.managedBy = 'kueue.x-k8s.io/manager'), want: [] },
  ];
  for (const c of cases) {
    assert.deepEqual(messages(strategy.validate!(job(c.edit))), c.want, c.name);
  }
});

test('job updates: the template, selector and completion mode are fixed; scheduling of a suspended Job may change', () => {
  const suspended = (j: Json) => (j.spec.suspend = true);
  const indexed = (j: Json) => Object.assign(j.spec, { completionMode: 'Indexed', completions: 3, parallelism: 3 });
  const cases: { name: string; create?: (j: Json) => void; started?: boolean; edit: (j: Json) => void; want: string[] }[] = [
    { name: 'parallelism may change', edit: (j) => (j.spec.parallelism = 4), want: [] },
    { name: 'suspend and activeDeadlineSeconds may change', edit: (j) => Object.assign(j.spec, { suspend: true, activeDeadlineSeconds: 60 }), want: [] },
    {
      name: 'the image may not change',
      edit: (j) => (j.spec.template.spec.containers[0].image = 'alpine'),
      want: ['spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{…}, Spec:core.PodSpec{…}}: field is immutable'],
    },
    {
      name: 'completions of a NonIndexed Job are fixed',
      edit: (j) => (j.spec.completions = 2),
      want: ['spec.completions: Invalid value: 2: field is immutable'],
    },
    { name: 'an Indexed Job scales completions with parallelism', create: indexed, edit: (j) => Object.assign(j.spec, { completions: 5, parallelism: 5 }), want: [] },
    {
      name: 'but not completions alone',
      create: indexed,
      edit: (j) => (j.spec.completions = 5),
      want: ['spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism'],
    },
    {
      name: 'the completion mode is fixed',
      edit: (j) => (j.spec.completionMode = 'Indexed'),
      want: ['spec.completionMode: Invalid value: "Indexed": field is immutable'],
    },
    {
      name: 'the selector is fixed',
      edit: (j) => (j.spec.selector.matchExpressions = [{ key: 'job-name', operator: 'Exists' }]),
      want: [
        `spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"batch.kubernetes.io/controller-uid":"${uid}"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"job-name", Operator:"Exists", Values:[]string(nil)}}}: field is immutable`,
      ],
    },
    {
      name: 'a suspended Job that never ran may move to other nodes',
      create: suspended,
      edit: (j) => {
        j.spec.template.spec.nodeSelector = { disk: 'ssd' };
        j.spec.template.spec.tolerations = [{ key: 'k', operator: 'Exists' }];
        j.spec.template.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } };
        j.spec.template.metadata.annotations = { note: 'x' };
      },
      want: [],
    },
    {
      name: 'but not once it has started',
      create: suspended,
      started: true,
      edit: (j) => (j.spec.template.spec.nodeSelector = { disk: 'ssd' }),
      want: ['spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{…}, Spec:core.PodSpec{…}}: field is immutable'],
    },
    {
      name: 'nor its image',
      create: suspended,
      edit: (j) => (j.spec.template.spec.containers[0].image = 'alpine'),
      want: ['spec.template: Invalid value: core.PodTemplateSpec{ObjectMeta:v1.ObjectMeta{…}, Spec:core.PodSpec{…}}: field is immutable'],
    },
    {
      name: 'the pod failure policy is fixed',
      edit: (j) => {
        j.spec.podFailurePolicy = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };
        j.spec.podReplacementPolicy = 'Failed';
      },
      want: [
        'spec.podFailurePolicy: Invalid value: batch.PodFailurePolicy{Rules:[]batch.PodFailurePolicyRule{batch.PodFailurePolicyRule{Action:"Ignore", OnExitCodes:(*batch.PodFailurePolicyOnExitCodesRequirement)(nil), OnPodConditions:[]batch.PodFailurePolicyOnPodConditionsPattern{batch.PodFailurePolicyOnPodConditionsPattern{Type:"DisruptionTarget", Status:"True"}}}}}: field is immutable',
      ],
    },
    {
      name: 'managedBy is fixed',
      edit: (j) => (j.spec.managedBy = 'kueue.x-k8s.io/manager'),
      want: ['spec.managedBy: Invalid value: "kueue.x-k8s.io/manager": field is immutable'],
    },
  ];
  for (const c of cases) {
    const old = job(c.create);
    if (c.started) old.status = { startTime: '2025-01-01T00:00:00Z' };
    const updated = update(old, c.edit);
    assert.deepEqual([...new Set(messages(strategy.validateUpdate!(updated, old)))], c.want, c.name);
  }
});

test('a Job stored before the prefixed labels existed may still be updated', () => {
  const old = job();
  for (const k of ['batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name']) delete old.spec.template.metadata.labels[k];
  old.spec.selector = { matchLabels: { 'controller-uid': uid } };
  const updated = update(old, (j) => (j.spec.parallelism = 2));
  assert.deepEqual(messages(strategy.validateUpdate!(updated, old)), []);
  // A new Job needs them all.
  assert.deepEqual(messages(strategy.validate!(old)), [
    `spec.template.metadata.labels[batch.kubernetes.io/controller-uid]: Required value: must be '${uid}'`,
    "spec.template.metadata.labels[batch.kubernetes.io/job-name]: Required value: must be 'pi'",
  ]);
});

test('status writes are checked as the status strategy does', () => {
  const start = '2025-01-01T00:00:00Z';
  const end = '2025-01-01T00:01:00Z';
  const cond = (type: string) => ({ type, status: 'True' });
  const cases: { name: string; old?: Json; status: Json; want: string[] }[] = [
    { name: 'running', status: { active: 1, ready: 1, startTime: start }, want: [] },
    {
      name: 'complete, as the controller writes it',
      old: { startTime: start, succeeded: 0 },
      status: { startTime: start, completionTime: end, succeeded: 1, conditions: [cond('SuccessCriteriaMet'), cond('Complete')] },
      want: [],
    },
    {
      name: 'negative counters',
      status: { active: -1, succeeded: -1, failed: 0, ready: -1 },
      want: [
        'status.active: Invalid value: -1: must be greater than or equal to 0',
        'status.succeeded: Invalid value: -1: must be greater than or equal to 0',
        'status.ready: Invalid value: -1: must be greater than or equal to 0',
        'status.succeeded: Invalid value: -1: cannot decrease the succeeded counter',
      ],
    },
    {
      name: 'counters do not go back',
      old: { failed: 2, succeeded: 2 },
      status: { failed: 1, succeeded: 1 },
      want: ['status.failed: Invalid value: 1: cannot decrease the failed counter', 'status.succeeded: Invalid value: 1: cannot decrease the succeeded counter'],
    },
    {
      name: 'more ready than active',
      status: { active: 1, ready: 2, startTime: start },
      want: ['status.ready: Invalid value: 2: cannot set more ready pods than active'],
    },
    {
      name: 'Complete without its companions',
      status: { active: 1, conditions: [cond('Complete')] },
      want: [
        'status.completionTime: Required value: completionTime is required for Complete jobs',
        'status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition',
        'status.active: Invalid value: 1: active>0 is invalid for finished job',
        'status.startTime: Required value: startTime is required for finished job',
      ],
    },
    {
      name: 'completion before start',
      status: { startTime: end, completionTime: start, conditions: [cond('SuccessCriteriaMet'), cond('Complete')] },
      want: ['status.completionTime: Invalid value: 2025-01-01 00:00:00 +0000 UTC: completionTime cannot be set before startTime'],
    },
    {
      name: 'a terminal condition stays',
      old: { startTime: start, failed: 1, conditions: [cond('FailureTarget'), cond('Failed')] },
      status: { startTime: start, failed: 1, conditions: [cond('FailureTarget')] },
      want: ['status.conditions: Invalid value: cannot disable the terminal Failed=True condition'],
    },
    {
      name: 'completedIndexes need an Indexed Job',
      status: { completedIndexes: '0' },
      want: ['status.completedIndexes: Invalid value: "0": cannot set non-empty completedIndexes when non-indexed completion mode'],
    },
    {
      name: 'duplicate uncounted pods',
      status: { uncountedTerminatedPods: { succeeded: ['a'], failed: ['a', ''] } },
      want: [
        'status.uncountedTerminatedPods.failed[0]: Duplicate value: "a"',
        'status.uncountedTerminatedPods.failed[1]: Invalid value: "": must not be empty',
      ],
    },
  ];
  for (const c of cases) {
    const old = job();
    old.status = c.old ?? {};
    assert.deepEqual(messages(strategy.validateUpdate!(statusWrite(old, c.status), old)), c.want, c.name);
  }
});
