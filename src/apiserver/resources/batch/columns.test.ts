// Tests for the batch/v1 Job printer: status from conditions, completions, duration, and the wide columns.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../registry/kobject.ts';
import { printer as job } from './job/columns.ts';

const now = new Date('2025-06-01T12:00:00Z');
const S = 1000;
const M = 60 * S;

function ago(ms: number): string {
  return new Date(now.getTime() - ms).toISOString();
}

function obj(name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObject {
  return {
    metadata: { name, creationTimestamp: ago(10 * M), ...meta },
    spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'c0ffee' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } }, ...spec },
    status,
  };
}

const wide = ['pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=c0ffee'];

describe('job columns match upstream', () => {
  it('names, types and priorities', () => {
    assert.deepEqual(
      job.columns.map((c) => [c.name, c.type, c.priority]),
      [['Name', 'string', 0], ['Status', 'string', 0], ['Completions', 'string', 0], ['Duration', 'string', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]],
    );
  });
});

describe('job rows', () => {
  const cases: [string, KObject, unknown[]][] = [
    [
      'complete, duration from start to completion',
      obj('pi', { completions: 1, parallelism: 1 }, { succeeded: 1, startTime: ago(10 * M), completionTime: ago(7 * M + 30 * S), conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] }),
      ['pi', 'Complete', '1/1', '2m30s', '10m', ...wide],
    ],
    [
      'running work queue with parallelism, duration until now',
      obj('queue', { parallelism: 3 }, { active: 3, startTime: ago(45 * S) }),
      ['queue', 'Running', '0/1 of 3', '45s', '10m', ...wide],
    ],
    ['neither completions nor parallelism given', obj('one', {}, { startTime: ago(5 * S) }), ['one', 'Running', '0/1', '5s', '10m', ...wide]],
    ['not started', obj('new', { completions: 5, parallelism: 2 }), ['new', 'Running', '0/5', '', '10m', ...wide]],
    [
      'failed',
      obj('bad', { completions: 3 }, { succeeded: 1, failed: 4, startTime: ago(9 * M), conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] }),
      ['bad', 'Failed', '1/3', '9m', '10m', ...wide],
    ],
    ['failing', obj('bad', { completions: 1 }, { startTime: ago(9 * M), conditions: [{ type: 'FailureTarget', status: 'True' }] }), ['bad', 'FailureTarget', '0/1', '9m', '10m', ...wide]],
    ['suspended', obj('later', { completions: 1, suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] }), ['later', 'Suspended', '0/1', '', '10m', ...wide]],
    ['a False condition does not count', obj('j', { completions: 1 }, { conditions: [{ type: 'Suspended', status: 'False' }] }), ['j', 'Running', '0/1', '', '10m', ...wide]],
    [
      'deleting',
      obj('gone', { completions: 1 }, { conditions: [{ type: 'Suspended', status: 'True' }] }, { deletionTimestamp: ago(S) }),
      ['gone', 'Terminating', '0/1', '', '10m', ...wide],
    ],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => assert.deepEqual(job.row(object, now), want));
  }
});
