import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../apiserver/registry/kobject.ts';
import { SchedulingQueue } from './scheduling-queue.ts';

const pod = (name: string, priority?: number, labels: Record<string, string> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', labels },
  spec: { containers: [], ...(priority === undefined ? {} : { priority }) },
});

function queue() {
  let now = 1_000_000;
  const q = new SchedulingQueue({
    pluginEvents: new Map([
      ['NodeResourcesFit', ['NodeAdd', 'NodeAllocatable', 'AssignedPodDelete']],
      ['NodeAffinity', ['NodeAdd', 'NodeLabel']],
    ]),
    now: () => now,
  });
  return { q, tick: (ms: number) => (now += ms) };
}

test('back-off starts at 1 s and doubles up to 10 s', () => {
  const { q } = queue();
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => q.backoffMs(n)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
  q.close();
});

test('higher priority first, then the older pod', async () => {
  const { q, tick } = queue();
  q.add(pod('a'));
  tick(1);
  q.add(pod('b', 10));
  tick(1);
  q.add(pod('c'));
  const order = [];
  for (let i = 0; i < 3; i++) order.push((await q.pop())!.pod.metadata.name);
  assert.deepEqual(order, ['b', 'a', 'c']);
  q.close();
});

test('an unschedulable pod waits for an event one of its rejecting plugins cares about, then backs off', async () => {
  const { q, tick } = queue();
  q.add(pod('a'));
  const qp = (await q.pop())!;
  q.requeueFailed(qp, new Set(['NodeAffinity']));
  assert.deepEqual(q.sizes, { active: 0, backoff: 0, unschedulable: 1 });

  q.onEvent('AssignedPodDelete');
  assert.deepEqual(q.sizes, { active: 0, backoff: 0, unschedulable: 1 }, 'a freed pod does not help a node selector');

  q.onEvent('NodeLabel');
  assert.deepEqual(q.sizes, { active: 0, backoff: 1, unschedulable: 0 }, 'still within its 1 s back-off');
  tick(1000);
  q.flush();
  assert.deepEqual(q.sizes, { active: 1, backoff: 0, unschedulable: 0 });
  q.close();
});

test('a spec change of an unschedulable pod requeues it; a status change does not', async () => {
  const { q, tick } = queue();
  const p = pod('a');
  q.add(p);
  q.requeueFailed((await q.pop())!, new Set(['NodeAffinity']));
  const statusOnly = { ...p, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } };
  q.update(p, statusOnly);
  assert.equal(q.sizes.unschedulable, 1);
  tick(5000);
  q.update(statusOnly, { ...statusOnly, spec: { ...p.spec, tolerations: [{ operator: 'Exists' }] } });
  assert.deepEqual(q.sizes, { active: 1, backoff: 0, unschedulable: 0 });
  q.close();
});

test('errors and events during the attempt send the pod to back-off; unschedulable pods are retried after 5 min', async () => {
  const { q, tick } = queue();
  q.add(pod('a'));
  q.add(pod('b'));
  q.requeueFailed((await q.pop())!, new Set());
  const b = (await q.pop())!;
  q.onEvent('NodeAdd');
  q.requeueFailed(b, new Set(['NodeResourcesFit']));
  assert.deepEqual(q.sizes, { active: 0, backoff: 2, unschedulable: 0 });

  q.add(pod('c'));
  q.requeueFailed((await q.pop())!, new Set(['NodeResourcesFit']));
  tick(5 * 60_000);
  q.flush();
  assert.equal(q.sizes.unschedulable, 0);
  q.close();
});
