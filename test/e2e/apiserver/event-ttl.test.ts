// Events expire --event-ttl after they were last seen, as kube-apiserver's do; a recurring Event lives on while it recurs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { api, exists, kubectlPath, TestCluster } from '../cluster.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const path = '/api/v1/namespaces/default/events';
const event = (name: string, at: string) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name, namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
  reason: 'Testing',
  message: name,
  type: 'Normal',
  source: { component: 'e2e' },
  firstTimestamp: at,
  lastTimestamp: at,
  count: 1,
});

describe('--event-ttl', async () => {
  const missing = !(await exists(kubectlPath(33)));
  const opts = { skip: missing ? 'skipped: kubectl 1.33 not installed' : false, timeout: 60_000 };
  let c: TestCluster;
  before(async () => {
    if (!missing) c = await TestCluster.start(['--event-ttl', '4s']);
  });
  after(async () => {
    await c?.destroy();
  });

  it('deletes an Event once it was last seen longer ago than the TTL, and keeps one that recurs', opts, async () => {
    const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const name of ['once', 'recurring']) assert.equal((await api(c, 'POST', path, { body: event(name, now()) })).status, 201);
    const names = async () => (await c.kubectl(33, ['get', 'events', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.split(' ').filter((n) => n === 'once' || n === 'recurring');
    assert.deepEqual((await names()).sort(), ['once', 'recurring']);
    const start = Date.now();
    let seen: string[] = [];
    while (Date.now() - start < 30_000) {
      // The recorder bumps lastTimestamp and count each time the event recurs.
      const r = await api(c, 'PATCH', `${path}/recurring`, { body: { lastTimestamp: now(), count: 2 }, headers: { 'Content-Type': 'application/merge-patch+json' } });
      assert.equal(r.status, 200, r.body);
      seen = await names();
      if (!seen.includes('once')) break;
      await sleep(500);
    }
    assert.deepEqual(seen, ['recurring'], 'the one-off Event expired while the recurring one lived on');
  });

  it('refuses a malformed --event-ttl naming the flag', opts, async () => {
    const r = await TestCluster.start(['--event-ttl', 'soon']).then(
      (x) => x.destroy().then(() => 'started'),
      (e: Error) => e.message,
    );
    assert.match(r, /--event-ttl: time: invalid duration "soon" \(a duration such as 1h, 30m or 90s\)/);
  });
});
