import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import { matchSuccessPolicy } from './success-policy.ts';
import { parseIndexes } from './index-intervals.ts';

const failedPod = (status: Record<string, unknown>): KObject => ({ metadata: { name: 'job-abcde', namespace: 'batch' }, status: { phase: 'Failed', ...status } });
const exited = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode } } });

test('podFailurePolicy: the first matching rule decides, with upstream messages', () => {
  const policy = {
    rules: [
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2] } },
      { action: 'FailIndex', onExitCodes: { operator: 'In', values: [2] } },
      { action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] },
    ],
  };
  const cases: [string, KObject, object][] = [
    ['no policy counts', failedPod({}), { countFailed: true }],
    ['disruption is ignored', failedPod({ conditions: [{ type: 'DisruptionTarget', status: 'True' }], containerStatuses: [exited('main', 42)] }), { countFailed: false, action: 'Ignore' }],
    [
      'exit code 42 of main fails the Job',
      failedPod({ containerStatuses: [exited('side', 0), exited('main', 42)] }),
      { countFailed: true, action: 'FailJob', failJobMessage: 'Container main for pod batch/job-abcde failed with exit code 42 matching FailJob rule at index 1' },
    ],
    ['exit code 42 of another container falls to NotIn', failedPod({ containerStatuses: [exited('side', 42)] }), { countFailed: true, action: 'Count' }],
    ['exit code 2 fails the index', failedPod({ containerStatuses: [exited('main', 2)] }), { countFailed: true, action: 'FailIndex' }],
    ['init containers are looked at too', failedPod({ initContainerStatuses: [exited('init', 2)] }), { countFailed: true, action: 'FailIndex' }],
    ['exit code 0 never matches', failedPod({ containerStatuses: [exited('main', 0)] }), { countFailed: true }],
    [
      'a pod condition fails the Job',
      failedPod({ conditions: [{ type: 'ConfigIssue', status: 'True' }], containerStatuses: [exited('main', 1)] }),
      { countFailed: true, action: 'FailJob', failJobMessage: 'Pod batch/job-abcde has condition ConfigIssue matching FailJob rule at index 4' },
    ],
    ['a condition with another status does not match', failedPod({ conditions: [{ type: 'ConfigIssue', status: 'False' }] }), { countFailed: true }],
  ];
  for (const [name, pod, want] of cases) assert.deepEqual(matchPodFailurePolicy(name === 'no policy counts' ? undefined : policy, pod), want, name);
});

test('successPolicy: succeededIndexes, succeededCount and both', () => {
  const match = (rules: object[], completed: string, completions = 10) => matchSuccessPolicy({ rules }, completions, parseIndexes(completed, completions));
  assert.equal(match([{ succeededIndexes: '0,2-3' }], '0-2'), undefined);
  assert.equal(match([{ succeededIndexes: '0,2-3' }], '0-3'), 'Matched rules at index 0');
  assert.equal(match([{ succeededIndexes: '0-5', succeededCount: 2 }], '1,7,8'), undefined);
  assert.equal(match([{ succeededIndexes: '0-5', succeededCount: 2 }], '1,4,8'), 'Matched rules at index 0');
  assert.equal(match([{ succeededCount: 4 }, { succeededCount: 3 }], '2,5,9'), 'Matched rules at index 1');
  assert.equal(match([{ succeededCount: 1 }], ''), undefined);
});
