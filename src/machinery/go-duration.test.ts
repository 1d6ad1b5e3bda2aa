import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration } from './go-duration.ts';

test('parses what Go time.ParseDuration parses', () => {
  const cases: [string, bigint][] = [
    ['0', 0n],
    ['5s', 5_000_000_000n],
    ['0.5s', 500_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['1.5ms', 1_500_000n],
    ['250us', 250_000n],
    ['250µs', 250_000n],
    ['-2s', -2_000_000_000n],
    ['+.5m', 30_000_000_000n],
    ['3600s', 3_600_000_000_000n],
  ];
  for (const [s, ns] of cases) assert.equal(parseGoDuration(s), ns, s);
});

test("refuses what Go refuses, with Go's messages", () => {
  const cases: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['5', 'time: missing unit in duration "5"'],
    ['5 s', 'time: unknown unit " s" in duration "5 s"'],
    ['5sec', 'time: unknown unit "sec" in duration "5sec"'],
    ['.s', 'time: invalid duration ".s"'],
    ['abc', 'time: invalid duration "abc"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['9999999999h', 'time: invalid duration "9999999999h"'],
    ['5é', 'time: unknown unit "\\xc3\\xa9" in duration "5\\xc3\\xa9"'],
  ];
  for (const [s, msg] of cases) assert.throws(() => parseGoDuration(s), { message: msg }, s);
});
