import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../apiserver/registry/kobject.ts';
import { silentLog } from '../controllers/testing/fake-cluster.ts';
import { EventSeriesRecorder, truncateNote } from './event-recorder.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function recorder() {
  const writes: { op: string; name: string; body: Json }[] = [];
  let now = Date.parse('2025-05-01T10:00:00.000Z');
  const r = new EventSeriesRecorder(
    {
      create: async (_ns, ev) => {
        writes.push({ op: 'create', name: ev.metadata.name!, body: ev });
        return ev;
      },
      patch: async (_ns, name, patch) => {
        writes.push({ op: 'patch', name, body: patch });
        return { metadata: { name } } as KObject;
      },
    },
    { controller: 'default-scheduler', instance: 'default-scheduler-vm' },
    silentLog,
    () => new Date(now),
  );
  return { r, writes, tick: (ms: number) => (now += ms) };
}

const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', uid: 'u1', resourceVersion: '7' } };

test('a repeated event becomes a series: count 2 is written at once, later counts when the series ends', async () => {
  const { r, writes, tick } = recorder();
  r.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'no');
  tick(1000);
  r.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'no');
  tick(1000);
  r.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'no');
  await r.flush();
  assert.deepEqual(
    writes.map((w) => w.op),
    ['create', 'patch'],
  );
  const created = writes[0]!.body;
  assert.equal(created.eventTime, '2025-05-01T10:00:00.000000Z');
  assert.deepEqual(created.regarding, { kind: 'Pod', namespace: 'shop', name: 'web', uid: 'u1', apiVersion: 'v1', resourceVersion: '7' });
  assert.deepEqual(writes[1]!.body, { series: { count: 2, lastObservedTime: '2025-05-01T10:00:01.000000Z' } });
  assert.equal(writes[1]!.name, created.metadata.name);

  tick(7 * 60_000);
  r.finishSeries();
  await r.flush();
  assert.deepEqual(writes[2]!.body, { series: { count: 3, lastObservedTime: '2025-05-01T10:00:02.000000Z' } });
  r.close();
});

test('another resourceVersion of the object is another event', async () => {
  const { r, writes } = recorder();
  r.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'no');
  r.eventf({ ...pod, metadata: { ...pod.metadata, resourceVersion: '8' } }, undefined, 'Warning', 'FailedScheduling', 'Scheduling', 'no');
  await r.flush();
  assert.deepEqual(
    writes.map((w) => w.op),
    ['create', 'create'],
  );
  r.close();
});

test('notes over 1 KiB are cut with " ..."', () => {
  const long = 'x'.repeat(2000);
  const t = truncateNote(long);
  assert.equal(Buffer.byteLength(t), 1024);
  assert.ok(t.endsWith(' ...'));
  assert.equal(truncateNote('short'), 'short');
});
