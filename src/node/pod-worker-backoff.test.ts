import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, crashLoopInitialMs, crashLoopMaxMs, goDuration } from './pod-worker-backoff.ts';

test('crash-loop back-off: restart at once, then 10s doubling to 5m, reset after 10 minutes of running', () => {
  let t = 1_000_000;
  const b = new Backoff(crashLoopInitialMs, crashLoopMaxMs, { now: () => t });
  const key = 'web_default_u1_app';
  // First exit: not in back-off, restarted at once; the delay becomes 10s.
  assert.equal(b.isInBackOffSince(key, t), false);
  b.next(key, t);
  const delays: string[] = [];
  for (let i = 0; i < 8; i++) {
    const died = t;
    assert.equal(b.isInBackOffSince(key, died), true);
    delays.push(goDuration(b.get(key)));
    t += b.get(key) - 1;
    assert.equal(b.isInBackOffSince(key, died), true);
    t += 1;
    assert.equal(b.isInBackOffSince(key, died), false);
    b.next(key, died);
  }
  assert.deepEqual(delays, ['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s', '5m0s']);
  // A container that ran more than 10 minutes since the last restart starts over at 10s.
  t += 10 * 60_000 + 1;
  b.next(key, t);
  assert.equal(b.get(key), 10_000);
});

test('gc drops idle keys', () => {
  let t = 0;
  const b = new Backoff(10, 100, { now: () => t });
  b.next('k', 0);
  t = 201;
  b.gc();
  assert.equal(b.get('k'), 0);
});
