// Tests for field-selector.ts: term splitting, escaping, matching and errors as upstream fields.ParseSelector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FieldSelectorParseError,
  escapeFieldValue,
  everythingFields,
  fieldSelectorFromRequirements,
  parseFieldSelector,
  unescapeFieldValue,
} from './field-selector.ts';

test('parseFieldSelector reads requirements and prints them back', () => {
  const cases: [string, [string, '=' | '!=', string][], string][] = [
    // input, requirements, toString
    ['x=a,y=b,z=c', [['x', '=', 'a'], ['y', '=', 'b'], ['z', '=', 'c']], 'x=a,y=b,z=c'],
    ['', [], ''],
    ['x!=a,y=b', [['x', '!=', 'a'], ['y', '=', 'b']], 'x!=a,y=b'],
    ['x=a||y\\=b', [['x', '=', 'a||y=b']], 'x=a||y\\=b'],
    ['x=a\\=\\=b', [['x', '=', 'a==b']], 'x=a\\=\\=b'],
    ['b==value', [['b', '=', 'value']], 'b=value'],
    ['z=1,a=2', [['a', '=', '2'], ['z', '=', '1']], 'a=2,z=1'],
    ['metadata.name=web,', [['metadata.name', '=', 'web']], 'metadata.name=web'],
    // terms sort as bytes: '2' sorts before '='
    ['k=\\,,k2=v2', [['k2', '=', 'v2'], ['k', '=', ',']], 'k2=v2,k=\\,'],
    ['k=\\\\,k2=v2', [['k2', '=', 'v2'], ['k', '=', '\\']], 'k2=v2,k=\\\\'],
    ['함=수,목=록', [['목', '=', '록'], ['함', '=', '수']], '목=록,함=수'],
    ['spec.nodeName=', [['spec.nodeName', '=', '']], 'spec.nodeName='],
    // a term with neither field nor value is dropped
    ['=', [], ''],
    ['a = b', [['a ', '=', ' b']], 'a = b'],
  ];
  for (const [input, reqs, str] of cases) {
    const s = parseFieldSelector(input);
    assert.deepEqual(
      s.requirements.map((r) => [r.field, r.operator, r.value]),
      reqs,
      input,
    );
    assert.equal(s.toString(), str, input);
    assert.equal(s.isEmpty(), reqs.length === 0, input);
  }
});

test('parseFieldSelector rejects bad selectors with upstream messages', () => {
  const cases: [string, string][] = [
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['k=\\a', 'invalid field selector: invalid escape sequence: \\a'],
    ['k=\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseFieldSelector(input),
      (e: unknown) => e instanceof FieldSelectorParseError && e.message === message,
      input,
    );
  }
});

test('escaping round-trips', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ];
  for (const [raw, escaped] of cases) {
    assert.equal(escapeFieldValue(raw), escaped);
    assert.equal(unescapeFieldValue(escaped), raw);
  }
});

test('matching treats absent fields as empty strings', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { a: 'b' }, true],
    ['metadata.name=web', { 'metadata.name': 'web' }, true],
    ['metadata.name=web', { 'metadata.name': 'db' }, false],
    ['metadata.name!=web', { 'metadata.name': 'db' }, true],
    ['spec.nodeName=', {}, true],
    ['spec.nodeName!=', {}, false],
    ['spec.nodeName!=', { 'spec.nodeName': 'n1' }, true],
    ['status.phase=Running,spec.nodeName=n1', { 'status.phase': 'Running', 'spec.nodeName': 'n1' }, true],
    ['status.phase=Running,spec.nodeName=n1', { 'status.phase': 'Running' }, false],
    ['toString=', {}, true],
  ];
  for (const [sel, fields, want] of cases) assert.equal(parseFieldSelector(sel).matches(fields), want, `${sel} on ${JSON.stringify(fields)}`);
});

test('requiresExactMatch, everything and selectors from requirements', () => {
  const cases: [string, string, string | undefined][] = [
    ['a=b', 'a', 'b'],
    ['a==b', 'a', 'b'],
    ['a!=b', 'a', undefined],
    ['a!=b,a=c', 'a', 'c'],
    ['x=y', 'a', undefined],
  ];
  for (const [sel, field, want] of cases) assert.equal(parseFieldSelector(sel).requiresExactMatch(field), want, sel);
  assert.equal(everythingFields().isEmpty(), true);
  assert.equal(everythingFields().matches({}), true);
  const s = fieldSelectorFromRequirements([{ field: 'metadata.namespace', operator: '=', value: 'a,b' }]);
  assert.equal(s.toString(), 'metadata.namespace=a\\,b');
  assert.equal(s.matches({ 'metadata.namespace': 'a,b' }), true);
});
