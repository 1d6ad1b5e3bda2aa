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
  for (const input of ['', 'yes', 'no', 'tRUE', 'TrUe', ' true', 'true ', '2', 'on', 'y']) {
    assert.throws(
      () => parseGoBool(input),
      (e: unknown) =>
        e instanceof GoBoolParseError && e.message === `strconv.ParseBool: parsing ${JSON.stringify(input)}: invalid syntax`,
      input,
    );
  }
});
