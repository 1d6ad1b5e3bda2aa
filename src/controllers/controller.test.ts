import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../client/client.ts';
import { Controller, quietConflictRetries } from './controller.ts';
import { eventually } from './testing/fake-cluster.ts';

const conflict = () =>
  new ApiError(409, {
    kind: 'Status',
    status: 'Failure',
    reason: 'Conflict',
    code: 409,
    message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
  });

function recordingLog() {
  const lines: string[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => lines.push(`${level} ${msg} ${String(fields?.error ?? '')}`);
  return { lines, log: { info: at('I'), error: at('E'), debug: at('D') } };
}

test('a routine conflict is requeued and logged at debug level; other errors at error level', async () => {
  const { lines, log } = recordingLog();
  const errors = [conflict(), new Error('unable to delete pods: boom', { cause: conflict() }), new Error('admission webhook denied')];
  let calls = 0;
  const c = new Controller('deployment', async () => {
    const e = errors[calls++];
    if (e) throw e;
  }, { log });
  c.run();
  try {
    c.enqueue('default/web');
    await eventually(() => calls === 4);
    assert.deepEqual(lines.map((l) => l.slice(0, 2)), ['D ', 'D ', 'E ']);
    assert.match(lines[0]!, /^D reconcile conflict, requeued Operation cannot be fulfilled/);
    assert.equal(lines[2], 'E reconcile failed admission webhook denied');
  } finally {
    await c.stop();
  }
});

test('a conflict that keeps coming back is an error after upstream\'s retry count', async () => {
  const { lines, log } = recordingLog();
  let calls = 0;
  const c = new Controller('deployment', async () => {
    calls++;
    throw conflict();
  }, { log });
  // The key's back-off history is already at the limit.
  for (let i = 0; i < quietConflictRetries; i++) c.queue.addRateLimited('default/web');
  c.run();
  try {
    c.enqueue('default/web');
    await eventually(() => calls >= 1 && lines.length >= 1);
    assert.match(lines[0]!, /^E reconcile failed Operation cannot be fulfilled/);
  } finally {
    await c.stop();
  }
});
