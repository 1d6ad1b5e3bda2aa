import { test } from 'node:test';
import assert from 'node:assert/strict';
import { re2SyntaxError } from './re2-syntax.ts';

test('accepts RE2 syntax', () => {
  for (const re of ['^/api/v[0-9]+/.*$', '(?i)abc', '(?P<id>\\d+)', '(?<id>\\d+)', '[[:alpha:]]+', 'a{2,3}', 'a*?', '\\Qa.b\\E', '[]a]', '\\x41\\x{263a}', '\\pL', 'x{', '^*']) {
    assert.equal(re2SyntaxError(re), undefined, re);
  }
});

test("refuses what Go's regexp refuses, with its messages", () => {
  const cases: [string, string][] = [
    ['(abc', 'missing closing ): `(abc`'],
    ['abc)', 'unexpected ): `abc)`'],
    ['[abc', 'missing closing ]: `[abc`'],
    ['*abc', 'missing argument to repetition operator: `*`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['(\\w+)\\1', 'invalid escape sequence: `\\1`'],
    ['foo(?=bar)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?<!x)y', 'invalid or unsupported Perl syntax: `(?<!`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['a{2,1}', 'invalid repeat count: `{2,1}`'],
    ['abc\\', 'trailing backslash at end of expression: ``'],
    ['\\y', 'invalid escape sequence: `\\y`'],
  ];
  for (const [re, msg] of cases) assert.equal(re2SyntaxError(re), `error parsing regexp: ${msg}`, re);
});
