// Tests for quantity.ts: parsing, canonical printing and arithmetic against upstream's quantity_test.go vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Quantity, QuantityParseError, isValidQuantity, type QuantityFormat } from './quantity.ts';

const formatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

test('parse reads value and format as upstream ParseQuantity', () => {
  // [input, mantissa, scale, format]
  const cases: [string, bigint, number, QuantityFormat][] = [
    ['0', 0n, 0, 'DecimalSI'],
    ['0n', 0n, 0, 'DecimalSI'],
    ['0Ki', 0n, 0, 'BinarySI'],
    ['0T', 0n, 0, 'DecimalSI'],
    ['1', 1n, 0, 'DecimalSI'],
    ['1Ki', 1024n, 0, 'BinarySI'],
    ['7Mi', 7n * 1024n ** 2n, 0, 'BinarySI'],
    ['5Ti', 5n * 1024n ** 4n, 0, 'BinarySI'],
    ['4Pi', 4n * 1024n ** 5n, 0, 'BinarySI'],
    ['3Ei', 3n * 1024n ** 6n, 0, 'BinarySI'],
    ['5n', 5n, -9, 'DecimalSI'],
    ['4u', 4n, -6, 'DecimalSI'],
    ['3m', 3n, -3, 'DecimalSI'],
    ['50k', 5n, 4, 'DecimalSI'],
    ['300T', 3n, 14, 'DecimalSI'],
    ['1E', 1n, 18, 'DecimalSI'],
    ['1E-3', 1n, -3, 'DecimalExponent'],
    ['1e3', 1n, 3, 'DecimalExponent'],
    ['1E18', 1n, 18, 'DecimalExponent'],
    ['100.035k', 100035n, 0, 'DecimalSI'],
    ['0.0005k', 5n, -1, 'DecimalSI'],
    ['0.00500', 5n, -3, 'DecimalSI'],
    ['0.5e-2', 5n, -3, 'DecimalExponent'],
    ['1.3E+6', 13n, 5, 'DecimalExponent'],
    ['1.01E', 101n, 16, 'DecimalSI'],
    ['6.987654321G', 6987654321n, 0, 'DecimalSI'],
    // rounded up to nano
    ['3.001n', 4n, -9, 'DecimalSI'],
    ['1.1E-9', 2n, -9, 'DecimalExponent'],
    ['0.0000000005', 1n, -9, 'DecimalSI'],
    ['0.00000012345', 124n, -9, 'DecimalSI'],
    // binary values are capped at 2^63-1
    ['9Ei', 9223372036854775807n, 0, 'BinarySI'],
    ['9223372036854775807Ki', 9223372036854775807n, 0, 'BinarySI'],
    ['12E', 12n, 18, 'DecimalSI'],
    ['100.035Ki', 10243584n, -2, 'BinarySI'],
    ['0.05Gi', 536870912n, -1, 'BinarySI'],
    // a binary amount below one becomes decimal
    ['0.000000000001Ki', 2n, -9, 'DecimalSI'],
    ['.001', 1n, -3, 'DecimalSI'],
    ['.0001k', 100n, -3, 'DecimalSI'],
    ['1.', 1n, 0, 'DecimalSI'],
    ['1.G', 1n, 9, 'DecimalSI'],
  ];
  for (const [input, m, scale, format] of cases) {
    for (const [prefix, sign] of [['', 1n], ['-', -1n], ['+', 1n]] as const) {
      const q = Quantity.parse(prefix + input);
      const want = Quantity.fromScaled(sign * m, scale);
      assert.equal(q.cmp(want), 0, `${prefix}${input}: got ${q}, want ${want}`);
      assert.equal(q.format, format, `${prefix}${input}`);
    }
  }
});

test('parse rejects malformed quantities with upstream messages', () => {
  const cases: [string, string][] = [
    ['', formatWrong],
    ['1.1.M', formatWrong],
    ['1+1.0M', formatWrong],
    ['aoeu', formatWrong],
    ['-3.01e-', "unable to parse quantity's suffix"],
    ['0.1mi', "unable to parse quantity's suffix"],
    ['0.1am', formatWrong],
    ['.5i', "unable to parse quantity's suffix"],
    ['1i', "unable to parse quantity's suffix"],
    ['1ki', "unable to parse quantity's suffix"],
    [' 1', formatWrong],
    ['1 ', formatWrong],
    // 19 digits take upstream's int64 path, which cannot hold this value
    ['9999999999999999999', 'unable to parse numeric part of quantity'],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => Quantity.parse(input), (e: unknown) => e instanceof QuantityParseError && e.message === message, input);
    assert.equal(isValidQuantity(input), false, input);
  }
  assert.equal(isValidQuantity(undefined), false);
  assert.equal(isValidQuantity({}), false);
  assert.equal(isValidQuantity(Number.NaN), false);
});

test('toString prints the canonical form; canonical input is kept verbatim', () => {
  // [canonical, non-canonical spelling of the same value or '']
  const cases: [string, string][] = [
    ['1Gi', '1024Mi'],
    ['300Mi', '307200Ki'],
    ['1001Gi', '1025024Mi'],
    ['1Ti', '1024Gi'],
    ['5', '5000m'],
    ['500m', '0.5'],
    ['1G', '1000M'],
    ['1G', '0.001T'],
    ['1G', '1000000000'],
    ['1m', '1000u'],
    ['1080m', '1.08'],
    ['1080m', '1080000000n'],
    ['1234567M', ''],
    ['1025', ''],
    ['1e9', '.001e12'],
    ['1e-3', '0.001e0'],
    ['1e-9', '1000e-12'],
    ['80e-3', ''],
    ['300e6', ''],
    ['0', '00'],
    ['1080n', ''],
    ['1080u', ''],
    ['1Ki', ''],
    ['1024m', '.001Ki'],
    ['1024u', '.000001Ki'],
    ['2n', '.000000000001Ki'],
    ['1536Mi', '1.5Gi'],
    ['512', '0.5Ki'],
    ['1Ei', ''],
    ['9223372036854775807', '8Ei'],
  ];
  for (const [canonical, alternate] of cases) {
    assert.equal(Quantity.parse(canonical).toString(), canonical, canonical);
    if (alternate) assert.equal(Quantity.parse(alternate).toString(), canonical, alternate);
    if (canonical !== '0') {
      assert.equal(Quantity.parse(`-${canonical}`).toString(), `-${canonical}`, `-${canonical}`);
      if (alternate) assert.equal(Quantity.parse(`-${alternate}`).toString(), `-${canonical}`, `-${alternate}`);
    }
  }
});

test('toString keeps the exact input string where upstream reuses it', () => {
  // Upstream keeps the text when its int64 path sees a canonical-looking mantissa, sign and all.
  for (const s of ['+5', '1E3', '1e+3', '100e6', '1.500k']) assert.equal(Quantity.parse(s).toString(), s);
  assert.equal(Quantity.parse('-0').toString(), '0');
  assert.equal(Quantity.parse('1.5e3').toString(), '1500');
  assert.equal(Quantity.parse('12e-1').toString(), '1200e-3');
});

test('numbers parse from their decimal text', () => {
  const cases: [number, string][] = [
    [0.5, '500m'],
    [1, '1'],
    [2048, '2048'],
    [1000, '1k'],
    [-1.5, '-1500m'],
    [0, '0'],
  ];
  for (const [n, want] of cases) assert.equal(Quantity.parse(n).toString(), want, String(n));
});

test('fromJSON trims strings as upstream UnmarshalJSON', () => {
  for (const [input, want] of [[' 1', '1'], ['1 ', '1'], [1, '1'], [' -1', '-1'], ['10', '10']] as const) {
    assert.equal(Quantity.fromJSON(input).toString(), want);
  }
  assert.throws(() => Quantity.fromJSON(true), QuantityParseError);
});

test('value and milliValue round up away from zero', () => {
  const cases: [string, number, number][] = [
    ['100m', 1, 100],
    ['1500m', 2, 1500],
    ['1', 1, 1000],
    ['1Gi', 1073741824, 1073741824000],
    ['1n', 1, 1],
    ['0.5n', 1, 1],
    ['-1500m', -2, -1500],
    ['-1n', -1, -1],
    ['0', 0, 0],
  ];
  for (const [s, value, milli] of cases) {
    const q = Quantity.parse(s);
    assert.equal(q.value(), value, `${s} value`);
    assert.equal(q.milliValue(), milli, `${s} milli`);
  }
  assert.equal(Quantity.parse('100E').scaledValue(0), 9223372036854775807n, 'saturates');
  // ScaledValue table from upstream: 1·10^from viewed at scale `to`.
  const scales: [number, number, bigint][] = [
    [-9, -9, 1n], [-9, -6, 1n], [-9, 0, 1n], [-6, -9, 1000n], [-3, -9, 1000000n], [0, -9, 1000000000n], [2, -2, 10000n],
  ];
  for (const [from, to, want] of scales) assert.equal(Quantity.fromScaled(1, from).scaledValue(to), want, `${from}->${to}`);
});

test('cmp, sign, isZero, add and sub are exact', () => {
  const cmp: [string, string, number][] = [
    ['1', '1000m', 0],
    ['1Ki', '1024', 0],
    ['1Gi', '1G', 1],
    ['999m', '1', -1],
    ['-1', '1n', -1],
    ['1e100', '99999999999999999999', 1],
    ['1n', '0', 1],
    ['0', '-0', 0],
  ];
  for (const [a, b, want] of cmp) {
    assert.equal(Quantity.parse(a).cmp(Quantity.parse(b)), want, `${a} vs ${b}`);
    assert.equal(Quantity.parse(b).cmp(Quantity.parse(a)), -want || 0, `${b} vs ${a}`);
  }
  assert.equal(Quantity.parse('-5m').sign(), -1);
  assert.equal(Quantity.parse('0Gi').sign(), 0);
  assert.equal(Quantity.parse('0Gi').isZero(), true);
  assert.equal(Quantity.parse('1n').isZero(), false);

  const sums: [string, string, string, string][] = [
    // a, b, a+b, a-b
    ['1', '500m', '1500m', '500m'],
    ['1Gi', '512Mi', '1536Mi', '512Mi'],
    ['100m', '100m', '200m', '0'],
    ['1Ki', '1', '1025', '1023'],
  ];
  for (const [a, b, sum, diff] of sums) {
    assert.equal(Quantity.parse(a).add(Quantity.parse(b)).toString(), sum, `${a}+${b}`);
    assert.equal(Quantity.parse(a).sub(Quantity.parse(b)).toString(), diff, `${a}-${b}`);
  }
  // A zero receiver takes the other side's format (upstream AddZeroPreservesSuffix).
  assert.equal(Quantity.parse('0').add(Quantity.parse('1Gi')).toString(), '1Gi');
  assert.equal(Quantity.parse('0').sub(Quantity.parse('1Gi')).toString(), '-1Gi');
  assert.equal(Quantity.parse('1Gi').add(Quantity.parse('0')).format, 'BinarySI');
});

test('constructors and JSON', () => {
  assert.equal(Quantity.fromMilli(1500).toString(), '1500m');
  assert.equal(Quantity.fromValue(2048, 'BinarySI').toString(), '2Ki');
  assert.equal(Quantity.fromValue(5, 'BinarySI').toString(), '5');
  assert.equal(Quantity.fromMilli(500, 'BinarySI').toString(), '500m');
  assert.equal(JSON.stringify({ cpu: Quantity.parse('0.5') }), '{"cpu":"500m"}');
  assert.throws(() => Quantity.fromValue(1.5), RangeError);
});
