// Tests for labels.ts: selector parsing, printing, matching and errors against upstream's selector tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SelectorParseError,
  everything,
  formatLabelSelector,
  matchesNothing,
  newRequirement,
  nothing,
  parseSelector,
  selectorFromLabelSelector,
  selectorFromSet,
  validatedSelectorFromSet,
  type LabelSelector,
} from './labels.ts';

const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('parseSelector round-trips good selectors to their canonical string', () => {
  const cases: [string, string][] = [
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['', ''],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=', 'x='],
    ['x= ', 'x='],
    ['x=,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x>1', 'x>1'],
    ['x>1,z<5', 'x>1,z<5'],
    ['x=a,a=x', 'a=x,x=a'],
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x in (def,abc)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in (abc,abc)', 'x in (abc)'],
    ['x in ()', 'x in ()'],
    ['x in (a,,,)', 'x in (,a)'],
    ['x in (a,,b)', 'x in (,a,b)'],
    ['x in (,)', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['a ', 'a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['notin=in', 'notin=in'],
    ['x==y', 'x==y'],
  ];
  for (const [input, want] of cases) assert.equal(parseSelector(input).toString(), want, JSON.stringify(input));
});

test('parseSelector rejects bad selectors with upstream messages', () => {
  const keyMsg =
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  const cases: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${labelValueMsg}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x,,y', "found ',', expected: identifier after ','"],
    [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['a/b/c=d', `unable to parse requirement: <nil>: Invalid value: "a/b/c": ${keyMsg}`],
    ['x=a=b', "found '=', expected: ',' or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['x>-5', `unable to parse requirement: values[0][x]: Invalid value: "-5": ${labelValueMsg}`],
    // 1.33 consumes both commas of ",," and then trips over ')' (1.34 accepts these)
    ['x in (a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x in (a,,a,,a,,a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['x in (,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    [`x=${'a'.repeat(64)}`, `unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
    ['x=a\u00a0b', `unable to parse requirement: values[0][x]: Invalid value: "a\\u00a0b": ${labelValueMsg}`],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseSelector(input),
      (e: unknown) => e instanceof SelectorParseError && e.message === message,
      `${input}: ${(() => { try { parseSelector(input); return 'no error'; } catch (e) { return (e as Error).message; } })()}`,
    );
  }
});

test('selectors match label sets as upstream', () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', { x: 'y' }, true],
    ['', undefined, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x<5', { x: '-4' }, true],
    ['x>9223372036854775806', { x: '9223372036854775807' }, true],
    ['x=z', {}, false],
    ['x=z', undefined, false],
    ['x=y', { x: 'z' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x>1', { x: 'v2' }, false],
    ['x>1', {}, false],
    ['x<1', { x: '2' }, false],
    ['x notin ()', { y: '' }, true],
    ['x notin (a)', {}, true],
    ['x in ()', { x: '' }, true],
    ['x in ()', { y: 'baz' }, false],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    ['toString', {}, false],
  ];
  for (const [sel, labels, want] of cases) {
    assert.equal(parseSelector(sel).matches(labels), want, `${sel} on ${JSON.stringify(labels)}`);
  }
});

test('selectorFromLabelSelector follows metav1.LabelSelectorAsSelector', () => {
  const cases: [LabelSelector | null | undefined, string, Record<string, string>, boolean][] = [
    // selector, its string, a label set, whether it matches
    [{ matchLabels: { app: 'web' } }, 'app=web', { app: 'web', tier: 'fe' }, true],
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2', { a: '1' }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['b', 'a'] }] }, 'app in (a,b)', { app: 'b' }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, 'env notin (prod)', {}, true],
    [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }, 'gpu', { gpu: '' }, true],
    [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist', values: [] }] }, '!gpu', { gpu: '' }, false],
    [
      { matchLabels: { z: '1' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] },
      'a,z=1',
      { a: 'x', z: '1' },
      true,
    ],
    [{}, '', {}, true],
    [{ matchLabels: {}, matchExpressions: [] }, '', { any: 'thing' }, true],
  ];
  for (const [ls, str, labels, want] of cases) {
    const s = selectorFromLabelSelector(ls);
    assert.equal(s.toString(), str, JSON.stringify(ls));
    assert.equal(s.matches(labels), want, JSON.stringify(ls));
  }
  const none = selectorFromLabelSelector(null);
  assert.equal(none.matches({}), false);
  assert.equal(none.isEmpty(), false);
  assert.equal(matchesNothing(none), true);
  assert.equal(matchesNothing(selectorFromLabelSelector(undefined)), true);
  assert.equal(selectorFromLabelSelector({}).isEmpty(), true);
});

test('selectorFromLabelSelector rejects invalid selectors with upstream messages', () => {
  const cases: [LabelSelector, string][] = [
    // 1.33 prints the values slice with %#v
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn' }] }, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x', 'y'] }] }, 'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist'],
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In\t', values: ['1'] }] }, '"In\\t" is not a valid label selector operator'],
    [{ matchLabels: { a: 'b c' } }, `values[0][a]: Invalid value: "b c": ${labelValueMsg}`],
    [
      { matchLabels: { 'a b': 'c' } },
      'key: Invalid value: "a b": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
    ],
  ];
  for (const [ls, message] of cases) {
    assert.throws(
      () => selectorFromLabelSelector(ls),
      (e: unknown) => e instanceof SelectorParseError && e.message === message,
      JSON.stringify(ls),
    );
    assert.equal(formatLabelSelector(ls), '<error>');
  }
});

test('newRequirement aggregates several errors in brackets', () => {
  assert.throws(
    () => newRequirement('a b', 'gt', ['x']),
    (e: unknown) =>
      e instanceof SelectorParseError &&
      e.message.startsWith('[key: Invalid value: "a b": name part must consist') &&
      e.message.endsWith(`, values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer]`),
  );
  const exact: [string, string, string[] | null, string][] = [
    ['a', '=', [], "values: Invalid value: []string{}: exact-match compatibility requires one single value"],
    ['a', '!=', ['x', 'y'], 'values: Invalid value: []string{"x", "y"}: exact-match compatibility requires one single value'],
    ['a', 'in', null, "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    ['a', 'gt', ['1', '2'], 'values: Invalid value: []string{"1", "2"}: for \'Gt\', \'Lt\' operators, exactly one value is required'],
    ['a', 'exists', ['x'], 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'],
  ];
  for (const [key, op, values, message] of exact) {
    assert.throws(
      () => newRequirement(key, op, values),
      (e: unknown) => e instanceof SelectorParseError && e.message === message,
      message,
    );
  }
  assert.throws(
    () => newRequirement('a', 'bogus', []),
    (e: unknown) =>
      e instanceof SelectorParseError &&
      e.message ===
        'operator: Unsupported value: "bogus": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"',
  );
});

test('formatLabelSelector prints like metav1.FormatLabelSelector', () => {
  const cases: [LabelSelector | null | undefined, string][] = [
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [{}, '<none>'],
    [null, '<none>'],
    [undefined, '<none>'],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['b', 'a'] }] }, 'app in (a,b)'],
    [{ matchExpressions: [{ key: 'app', operator: 'Bogus', values: ['a'] }] }, '<error>'],
  ];
  for (const [ls, want] of cases) assert.equal(formatLabelSelector(ls), want, JSON.stringify(ls));
});

test('set selectors, everything, nothing and requiresExactMatch', () => {
  assert.equal(selectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
  assert.equal(selectorFromSet({ a: '1' }).matches({ a: '1', b: '2' }), true);
  assert.equal(selectorFromSet(null).isEmpty(), true);
  assert.throws(() => validatedSelectorFromSet({ a: 'not valid' }), SelectorParseError);
  assert.equal(everything().matches({ x: 'y' }), true);
  assert.equal(everything().isEmpty(), true);
  assert.equal(nothing().matches(undefined), false);
  assert.equal(nothing().requirements(), null);

  const cases: [string, string, string | undefined][] = [
    ['x=y', 'x', 'y'],
    ['x==y', 'x', 'y'],
    ['x in (y)', 'x', 'y'],
    ['x in (y,z)', 'x', undefined],
    ['x!=y', 'x', undefined],
    ['x=y', 'z', undefined],
    ['x', 'x', undefined],
  ];
  for (const [sel, label, want] of cases) assert.equal(parseSelector(sel).requiresExactMatch(label), want, `${sel} ${label}`);
});
