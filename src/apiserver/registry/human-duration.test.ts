// Tests for humanDuration and age against apimachinery's duration.HumanDuration thresholds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { age, humanDuration } from './human-duration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  const cases: [string, number, string][] = [
    ['zero', 0, '0s'],
    ['sub-second future drift', -999, '0s'],
    ['one second of future drift', -1999, '0s'],
    ['two seconds in the future', -2 * S, '<invalid>'],
    ['not a number', Number.NaN, '<invalid>'],
    ['seconds', 45 * S, '45s'],
    ['truncates fractions of a second', 45 * S + 999, '45s'],
    ['seconds up to two minutes', 119 * S, '119s'],
    ['two minutes', 2 * M, '2m'],
    ['minutes and seconds under ten minutes', 5 * M + 10 * S, '5m10s'],
    ['last minute-and-seconds value', 9 * M + 59 * S, '9m59s'],
    ['ten minutes drops seconds', 10 * M + 30 * S, '10m'],
    ['one hour still in minutes', H, '60m'],
    ['minutes up to three hours', 179 * M, '179m'],
    ['three hours', 3 * H, '3h'],
    ['hours and minutes under eight hours', 3 * H + 5 * M, '3h5m'],
    ['last hour-and-minutes value', 7 * H + 59 * M, '7h59m'],
    ['eight hours drops minutes', 8 * H + 30 * M, '8h'],
    ['hours up to two days', 47 * H, '47h'],
    ['two days', 2 * D, '2d'],
    ['days and hours under eight days', 2 * D + 4 * H, '2d4h'],
    ['last day-and-hours value', 7 * D + 23 * H, '7d23h'],
    ['eight days drops hours', 8 * D + 5 * H, '8d'],
    ['days up to two years', 729 * D, '729d'],
    ['two years', 730 * D, '2y'],
    ['years and days under eight years', 735 * D, '2y5d'],
    ['eight years', 8 * 365 * D, '8y'],
    ['years beyond eight', 3000 * D, '8y'],
  ];
  for (const [name, ms, want] of cases) {
    it(`${name}: ${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }
});

describe('age', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  const cases: [string, string | null | undefined, string][] = [
    ['unset', undefined, '<unknown>'],
    ['null', null, '<unknown>'],
    ['empty', '', '<unknown>'],
    ['Go zero time', '0001-01-01T00:00:00Z', '<unknown>'],
    ['unparseable', 'yesterday', '<unknown>'],
    ['an hour ago', '2025-06-01T11:00:00Z', '60m'],
    ['with an offset', '2025-06-01T13:00:00+02:00', '60m'],
    ['micro-time precision', '2025-06-01T11:59:30.123456Z', '29s'],
    ['in the future beyond drift', '2025-06-01T12:00:05Z', '<invalid>'],
  ];
  for (const [name, timestamp, want] of cases) {
    it(`${name} → ${want}`, () => assert.equal(age(timestamp, now), want));
  }
});
