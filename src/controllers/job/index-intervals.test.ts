import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIndexes, hasIndex, mergeIntervals, parseIndexes, totalIndexes, withIndexes } from './index-intervals.ts';

test('parseIndexes reads the compressed form as upstream parseIndexesFromString does', () => {
  const cases: [string, number, string][] = [
    ['', 10, ''],
    ['0', 10, '0'],
    ['1,3-5,7', 10, '1,3-5,7'],
    // Touching fragments join; a pair prints as "a,b".
    ['0,1,2', 10, '0-2'],
    ['3-4', 10, '3,4'],
    ['5,6', 10, '5,6'],
    // Corrupted fragments are skipped.
    ['a,2,x-3,4-y,6', 10, '2,6'],
    // Parsing stops at an index beyond completions; a range running past it is cut.
    ['1,3-20,30', 5, '1,3,4'],
    ['1,7,2', 5, '1'],
  ];
  for (const [text, completions, want] of cases) assert.equal(formatIndexes(parseIndexes(text, completions)), want, `${text} with ${completions}`);
});

test('withIndexes, mergeIntervals, totalIndexes and hasIndex', () => {
  const base = parseIndexes('1,3-5,9', 20);
  assert.equal(formatIndexes(withIndexes(base, [0, 2, 6, 8])), '0-6,8,9');
  assert.equal(formatIndexes(withIndexes([], [4])), '4');
  assert.equal(formatIndexes(mergeIntervals(parseIndexes('0-2,10', 20), parseIndexes('2-4,6-9', 20))), '0-4,6-10');
  assert.equal(totalIndexes(base), 5);
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 9, 10].map((ix) => hasIndex(base, ix)),
    [false, true, false, true, true, true, false, true, false],
  );
});
