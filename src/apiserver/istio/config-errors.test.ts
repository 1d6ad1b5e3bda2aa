import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendErrors, appendValidation, errorText, multiAppend, warningTexts } from './config-errors.ts';

test('errors join like go-multierror', () => {
  assert.equal(appendErrors(undefined, undefined), undefined);
  assert.equal(appendErrors(undefined, 'a'), 'a');
  assert.deepEqual(appendErrors('a', 'b'), ['a', 'b']);
  assert.deepEqual(appendErrors(['a', 'b'], ['c']), ['a', 'b', 'c']);
  assert.deepEqual(multiAppend(undefined, 'a'), ['a']);
  // A Validation adds its error only.
  assert.equal(appendErrors(undefined, { err: 'e', warn: 'w' }), 'e');
});

test('Validation keeps warnings beside errors', () => {
  const v = appendValidation({}, 'e1', { warn: 'w1' }, { err: 'e2', warn: ['w2', 'w3'] });
  assert.deepEqual(v, { err: ['e1', 'e2'], warn: ['w1', 'w2', 'w3'] });
  assert.deepEqual(warningTexts(v.warn), ['w1', 'w2', 'w3']);
});

test('texts as Go prints them', () => {
  assert.equal(errorText('plain'), 'plain');
  assert.equal(errorText(['only']), '1 error occurred:\n\t* only\n\n');
  assert.equal(errorText(['a', 'b']), '2 errors occurred:\n\t* a\n\t* b\n\n');
});
