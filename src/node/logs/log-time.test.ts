import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixedRFC3339Nano, formatRFC3339Nano, formatRFC3339NanoFixed, parseRFC3339Nano, wallClockNanos } from './log-time.ts';

describe('log time', () => {
  it('formats as Go: RFC3339Nano trims the fraction, RFC3339NanoFixed keeps nine digits', () => {
    const ns = 1_764_141_364_123_450_000n;
    assert.equal(formatRFC3339Nano(ns), '2025-11-26T07:16:04.12345Z');
    assert.equal(formatRFC3339NanoFixed(ns), '2025-11-26T07:16:04.123450000Z');
    assert.equal(formatRFC3339Nano(1_764_141_364_000_000_000n), '2025-11-26T07:16:04Z');
    assert.equal(formatRFC3339Nano(1_764_141_364_000_000_007n), '2025-11-26T07:16:04.000000007Z');
  });

  it('reads any fraction length back, and rewrites it with nine digits', () => {
    const table: [string, string, bigint | undefined][] = [
      ['2025-11-26T07:16:04Z', '2025-11-26T07:16:04.000000000Z', 1_764_141_364_000_000_000n],
      ['2025-11-26T07:16:04.5Z', '2025-11-26T07:16:04.500000000Z', 1_764_141_364_500_000_000n],
      ['2025-11-26T07:16:04.123456789Z', '2025-11-26T07:16:04.123456789Z', 1_764_141_364_123_456_789n],
      ['2025-11-26T08:16:04.1+01:00', '2025-11-26T08:16:04.100000000+01:00', 1_764_141_364_100_000_000n],
      ['garbage', 'garbage', undefined],
    ];
    for (const [ts, fixed, ns] of table) {
      assert.equal(fixedRFC3339Nano(ts), fixed, ts);
      assert.equal(parseRFC3339Nano(ts), ns, ts);
    }
  });

  it('a wall clock with digits below the millisecond, close to Date.now() and strictly increasing', () => {
    const seen: bigint[] = [];
    for (let i = 0; i < 2000; i++) seen.push(wallClockNanos());
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1]);
    const ms = BigInt(Date.now()) * 1_000_000n;
    assert.ok(seen.at(-1)! <= ms + 3_000_000n && seen.at(-1)! >= ms - 3_000_000n, `${seen.at(-1)} vs ${ms}`);
    // Not merely milliseconds with a counter: the digits below the millisecond vary.
    assert.ok(new Set(seen.map((n) => n % 1_000_000n)).size > 100);
  });
});
