import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonObjectStream, terminalSizeOf } from './json-object-stream.ts';

test('concatenated and split JSON objects come out whole, strings with braces included', () => {
  const s = new JsonObjectStream();
  assert.deepEqual(s.push('{"Width":80,"Height":24}{"Width":1'), [{ Width: 80, Height: 24 }]);
  assert.deepEqual(s.push('00,"Height":40}\n'), [{ Width: 100, Height: 40 }]);
  assert.deepEqual(s.push('{"a":"}{"}'), [{ a: '}{' }]);
  assert.deepEqual(s.push('{bad}{"ok":1}'), [{ ok: 1 }]);
});

test('terminal sizes use Go field names and must be small non-negative integers', () => {
  assert.deepEqual(terminalSizeOf({ Width: 120, Height: 30 }), { width: 120, height: 30 });
  assert.equal(terminalSizeOf({ Width: -1, Height: 3 }), undefined);
  assert.equal(terminalSizeOf({ Width: 1.5, Height: 3 }), undefined);
  assert.equal(terminalSizeOf('80x24'), undefined);
});
