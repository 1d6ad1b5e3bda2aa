// String formats a CRD may declare, and Go (RE2) regular expressions: which values pass and how RE2 refuses patterns.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSupportedFormat, matchesFormat } from './formats.ts';
import { compileGoRegexp, goRegexpError } from './go-regexp.ts';

describe('formats', () => {
  const cases: [string, string, boolean][] = [
    ['date-time', '2024-02-29T23:59:59Z', true],
    ['date-time', '2024-02-29T23:59:59.123+02:00', true],
    ['date-time', '2023-02-29T10:00:00Z', false],
    ['date-time', '2024-01-01', false],
    ['date', '2024-12-31', true],
    ['date', '2024-13-01', false],
    ['duration', '1h30m', true],
    ['duration', '3 days', true],
    ['duration', 'soon', false],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
    ['uuid', 'not-a-uuid', false],
    ['ipv4', '10.0.0.1', true],
    ['ipv4', '::1', false],
    ['ipv6', '::1', true],
    ['cidr', '10.0.0.0/8', true],
    ['cidr', '10.0.0.0/33', false],
    ['hostname', 'example.com', true],
    ['hostname', '-bad-.com', false],
    ['byte', 'aGVsbG8=', true],
    ['byte', 'not base64!', false],
    ['email', 'someone@example.com', true],
    ['email', 'nobody', false],
    ['uri', 'https://example.com/path', true],
    ['uri', 'relative/path', false],
    ['mac', '01:23:45:67:89:ab', true],
    ['hexcolor', '#fff', true],
  ];
  for (const [format, value, ok] of cases) it(`${format} ${JSON.stringify(value)}`, () => assert.equal(matchesFormat(format, value), ok));

  it('knows which formats Kubernetes validates', () => {
    assert.equal(isSupportedFormat('date-time'), true);
    assert.equal(isSupportedFormat('int32'), false);
    assert.equal(isSupportedFormat('quantity'), false);
  });
});

describe('Go regular expressions', () => {
  const errors: [string, string][] = [
    ['(abc', 'error parsing regexp: missing closing ): `(abc`'],
    ['abc)', 'error parsing regexp: unexpected ): `abc)`'],
    ['[a-z', 'error parsing regexp: missing closing ]: `[a-z`'],
    ['+', 'error parsing regexp: missing argument to repetition operator: `+`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['(?=x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
  ];
  for (const [p, want] of errors) it(`refuses ${p}`, () => assert.equal(goRegexpError(p), want));

  it('matches as Go does, unanchored, with RE2 syntax', () => {
    const re = compileGoRegexp('(?i)^[[:alpha:]]+\\z') as RegExp;
    assert.equal(re.test('Hello'), true);
    assert.equal(re.test('Hello1'), false);
    assert.equal((compileGoRegexp('b') as RegExp).test('abc'), true);
  });
});
