import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evictionMessage, rankForMemory, type PodMemory } from './pod-worker-eviction.ts';
import type { Container, Pod } from './pod-worker-types.ts';

const mi = 1024 * 1024;
const pod = (name: string, resources?: Container['resources'], priority?: number): Pod => ({
  metadata: { name, namespace: 'n', uid: name },
  spec: { containers: [{ name: 'c', resources }], priority },
});
const pm = (p: Pod, usage: number): PodMemory => ({ pod: p, usage: new Map([['c', usage]]) });

test('BestEffort and Burstable pods over their requests go first, biggest overuse first; Guaranteed last', () => {
  const guaranteed = pm(pod('g', { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } }), 500 * mi);
  const burstableUnder = pm(pod('bu', { requests: { memory: '256Mi' } }), 100 * mi);
  const burstableOver = pm(pod('bo', { requests: { memory: '64Mi' } }), 200 * mi);
  const bestSmall = pm(pod('bs'), 10 * mi);
  const bestBig = pm(pod('bb'), 300 * mi);
  const order = rankForMemory([guaranteed, burstableUnder, bestSmall, burstableOver, bestBig]).map((p) => p.pod.metadata.name);
  assert.deepEqual(order, ['bb', 'bo', 'bs', 'g', 'bu']);
  const lowPriority = pm(pod('lp', undefined, -10), 5 * mi);
  assert.equal(rankForMemory([bestBig, lowPriority])[0].pod.metadata.name, 'lp');
});

test('eviction message as the kubelet words it', () => {
  assert.equal(
    evictionMessage(pm(pod('bb'), 300 * mi), 100 * mi, 91_428 * 1024),
    'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91428Ki. Container c was using 300Mi, request is 0, has larger consumption of memory. ',
  );
});
