// Tests for go-bool.ts: the exact spellings strconv.ParseBool accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoBoolParseError, parseGoBool } from './go-bool.ts';

test('parseGoBool accepts exactly the spellings strconv.ParseBool accepts', () => {
  const cases: [string, boolean][] = [
    ['1', true], ['t', true], ['T', true], ['TRUE', true], ['true', true], ['True', true],
    ['0', false], ['f', false], ['F', false], ['FALSE', false], ['false', false], ['False', false],
  ];
  for (const [input, want] of cases) assert.equal(parseGoBool(input), want, input);
});

test('parseGoBool rejects everything else with Go\'s message', () => {
  // The input is quoted with strconv.Quote, which escapes differently from JSON.
  const cases: [string, string][] = [
    ['', 'strconv.ParseBool: parsing "": invalid syntax'],
    ['yes', 'strconv.ParseBool: parsing "yes": invalid syntax'],
    ['no', 'strconv.ParseBool: parsing "no": invalid syntax'],
    ['tRUE', 'strconv.ParseBool: parsing "tRUE": invalid syntax'],
    ['TrUe', 'strconv.ParseBool: parsing "TrUe": invalid syntax'],
    [' true', 'strconv.ParseBool: parsing " true": invalid syntax'],
    ['true ', 'strconv.ParseBool: parsing "true ": invalid syntax'],
    ['2', 'strconv.ParseBool: parsing "2": invalid syntax'],
    ['on', 'strconv.ParseBool: parsing "on": invalid syntax'],
    ['y', 'strconv.ParseBool: parsing "y": invalid syntax'],
    ['tr\u0007ue', 'strconv.ParseBool: parsing "tr\\aue": invalid syntax'],
    ['\u0001\u007f', 'strconv.ParseBool: parsing "\\x01\\x7f": invalid syntax'],
    ['ja\u00a0"x"', 'strconv.ParseBool: parsing "ja\\u00a0\\"x\\"": invalid syntax'],
    ['wahr✓', 'strconv.ParseBool: parsing "wahr✓": invalid syntax'],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseGoBool(input),
      (e: unknown) => e instanceof GoBoolParseError && e.message === message,
      message,
    );
  }
});
