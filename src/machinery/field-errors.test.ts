// Tests for field-errors.ts: 1.33's field.Error wording and its printing of bad values (%q, %v, %#v).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FieldPath,
  GoRepr,
  fieldDuplicate,
  fieldForbidden,
  fieldInternal,
  fieldInvalid,
  fieldNotFound,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  fieldTooMany,
  formatGoValue,
  goFloat,
  goQuote,
  goStringMap,
  goStringSlice,
  type FieldError,
} from './field-errors.ts';

test('error bodies as 1.33 prints them', () => {
  const p = FieldPath.root('spec').child('template', 'spec').child('containers').index(0).child('name');
  const cases: [string, FieldError, string][] = [
    ['required', fieldRequired(p), 'spec.template.spec.containers[0].name: Required value'],
    ['required with detail', fieldRequired('f', 'must be set'), 'f: Required value: must be set'],
    ['forbidden', fieldForbidden('f', 'not allowed'), 'f: Forbidden: not allowed'],
    ['invalid string', fieldInvalid('f', 'a"b', 'bad'), 'f: Invalid value: "a\\"b": bad'],
    ['invalid number', fieldInvalid('f', -1, 'must be greater than or equal to 0'), 'f: Invalid value: -1: must be greater than or equal to 0'],
    ['invalid bool', fieldInvalid('f', true, 'x'), 'f: Invalid value: true: x'],
    ['invalid nil', fieldInvalid('f', null, 'field is immutable'), 'f: Invalid value: null: field is immutable'],
    ['invalid no detail', fieldInvalid('f', 'x'), 'f: Invalid value: "x"'],
    ['invalid GoRepr', fieldInvalid('f', new GoRepr('core.Taint{Key:"k"}'), 'x'), 'f: Invalid value: core.Taint{Key:"k"}: x'],
    ['duplicate', fieldDuplicate(new FieldPath('f').key('a'), 'a'), 'f[a]: Duplicate value: "a"'],
    ['not found', fieldNotFound('f', 'x'), 'f: Not found: "x"'],
    ['not supported', fieldNotSupported('f', 'x', ['A', 'B']), 'f: Unsupported value: "x": supported values: "A", "B"'],
    ['not supported, no list', fieldNotSupported('f', 'x', []), 'f: Unsupported value: "x"'],
    ['too long', fieldTooLong('f', 'whatever', 262144), 'f: Too long: may not be more than 262144 bytes'],
    // no singular forms before 1.34
    ['too long 1', fieldTooLong('f', '', 1), 'f: Too long: may not be more than 1 bytes'],
    ['too long unknown', fieldTooLong('f', '', -1), 'f: Too long: value is too long'],
    ['too many', fieldTooMany('f', 5, 3), 'f: Too many: 5: must have at most 3 items'],
    ['too many 1', fieldTooMany('f', 2, 1), 'f: Too many: 2: must have at most 1 items'],
    ['too many unknown count', fieldTooMany('f', -1, 3), 'f: Too many: must have at most 3 items'],
    ['too many unknown max', fieldTooMany('f', 5, -1), 'f: Too many: 5: has too many items'],
    ['internal', fieldInternal('f', new Error('boom')), 'f: Internal error: boom'],
  ];
  for (const [name, err, want] of cases) assert.equal(err.message(), want, name);
});

test('non-scalar bad values print with %#v, not JSON', () => {
  const cases: [string, unknown, string][] = [
    ['map', { app: 'web', a: 'b' }, 'map[string]string{"a":"b", "app":"web"}'],
    ['empty map', {}, 'map[string]string{}'],
    ['slice', ['a', 'b'], '[]string{"a", "b"}'],
    ['empty slice', [], '[]string{}'],
    ['unstructured', { a: 1, b: [true, null, 'x'], c: { d: 1.5 } }, 'map[string]interface {}{"a":1, "b":[]interface {}{true, interface {}(nil), "x"}, "c":map[string]interface {}{"d":1.5}}'],
    ['float', 0.5, '0.5'],
    ['big float', 1234567.5, '1.2345675e+06'],
    ['small float', 0.00001, '1e-05'],
  ];
  for (const [name, v, want] of cases) assert.equal(formatGoValue(v), want, name);
  assert.equal(goStringSlice(null), '[]string(nil)');
  assert.equal(goStringMap(undefined), 'map[string]string(nil)');
  assert.equal(goFloat(1e21), '1e+21');
  assert.equal(goFloat(123456.5), '123456.5');
});

test('goQuote is strconv.Quote', () => {
  const cases: [string, string][] = [
    ['', '""'],
    ['plain', '"plain"'],
    ['q"b\\s', '"q\\"b\\\\s"'],
    ['\u0007\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\u0000\u001f\u007f', '"\\x00\\x1f\\x7f"'],
    ['\u00a0\u200b\u2028', '"\\u00a0\\u200b\\u2028"'],
    ['é✓日本', '"é✓日本"'],
    ['\u{1F600}', '"\u{1F600}"'],
    ['\u{E0001}', '"\\U000e0001"'],
    ['<&>', '"<&>"'],
  ];
  for (const [input, want] of cases) assert.equal(goQuote(input), want, want);
});
