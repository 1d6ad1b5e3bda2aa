import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand, mappingFor } from './expansion.ts';

test('expand follows upstream expansion cases', () => {
  const m = mappingFor(new Map([['VAR_A', 'A'], ['VAR_B', 'B'], ['VAR_C', 'C'], ['VAR_REF', '$(VAR_A)'], ['VAR_EMPTY', '']]));
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_A)', 'A-A'],
    ['$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
    ['$(VAR_DOES_NOT_EXIST)', '$(VAR_DOES_NOT_EXIST)'],
    ['$(VAR_EMPTY)', ''],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_REF)', '$(VAR_A)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$VAR_A', '$VAR_A'],
    ['f00__(VAR_A)__', 'f00__(VAR_A)__'],
    ['foo$', 'foo$'],
    ['$()', '$()'],
    ['$', '$'],
    ['', ''],
    ['$(VAR_A)$', 'A$'],
  ];
  for (const [input, want] of cases) assert.equal(expand(input, m), want, input);
});

test('mappingFor looks maps up in order', () => {
  const m = mappingFor(new Map([['A', '1']]), new Map([['A', '2'], ['B', '3']]));
  assert.equal(expand('$(A)$(B)', m), '13');
});
