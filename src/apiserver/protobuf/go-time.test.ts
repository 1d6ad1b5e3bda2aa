// Durations, times and micro-times are written as apimachinery writes them in JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, formatMicroTime, formatTime } from './go-time.ts';

test('durations read as Go time.Duration.String writes them', () => {
  const ns = 1n;
  const us = 1000n * ns;
  const ms = 1000n * us;
  const s = 1000n * ms;
  const min = 60n * s;
  const h = 60n * min;
  // The cases of Go's own time.Duration String test.
  const cases: [bigint, string][] = [
    [0n, '0s'],
    [1n * ns, '1ns'],
    [1100n * ns, '1.1µs'],
    [2200n * us, '2.2ms'],
    [3300n * ms, '3.3s'],
    [4n * min + 5n * s, '4m5s'],
    [4n * min + 5001n * ms, '4m5.001s'],
    [5n * h + 6n * min + 7001n * ms, '5h6m7.001s'],
    [8n * min + 1n * ns, '8m0.000000001s'],
    [(1n << 63n) - 1n, '2562047h47m16.854775807s'],
    [-(1n << 63n), '-2562047h47m16.854775808s'],
  ];
  for (const [d, want] of cases) assert.equal(formatGoDuration(d), want, String(d));
});

test('metav1.Time drops the fraction; MicroTime keeps six digits', () => {
  assert.equal(formatTime(1_700_000_000, 999_999_999), '2023-11-14T22:13:20Z');
  assert.equal(formatMicroTime(1_700_000_000, 123_456_789), '2023-11-14T22:13:20.123456Z');
  assert.equal(formatMicroTime(0, 0), '1970-01-01T00:00:00.000000Z');
});
