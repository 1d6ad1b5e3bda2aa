// The wire format primitives on hand-written bytes: varints, two's complement, zigzag, truncation, skipping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { int32, int64, uint64, WireFormatError, WireReader, WireType, zigzag32, zigzag64 } from './wire-reader.ts';

const reader = (...bytes: number[]) => new WireReader(Uint8Array.from(bytes));

test('reads the protobuf specification example: field 1 varint 150', () => {
  const r = reader(0x08, 0x96, 0x01);
  assert.deepEqual(r.tag(), { number: 1, wireType: WireType.varint });
  assert.equal(uint64(r.varint()), 150);
  assert.ok(r.done);
});

test('negative int32 and int64 arrive as ten-byte two\'s complement varints', () => {
  const minusOne = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
  assert.equal(int32(reader(...minusOne).varint()), -1);
  assert.equal(int64(reader(...minusOne).varint()), -1);
  // 2^40 + 5
  assert.equal(int64(reader(0x85, 0x80, 0x80, 0x80, 0x80, 0x20).varint()), 2 ** 40 + 5);
  assert.equal(int64(reader(0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20).varint()), 2 ** 47 + 5);
});

test('zigzag encodings', () => {
  assert.equal(zigzag32(reader(0x03).varint()), -2);
  assert.equal(zigzag32(reader(0x04).varint()), 2);
  assert.equal(zigzag64(reader(0x01).varint()), -1);
});

test('truncated input and bad lengths are errors, not garbage', () => {
  assert.throws(() => reader(0x96).varint(), new WireFormatError('unexpected EOF'));
  assert.throws(() => reader(0x0a, 0x05, 0x61).bytes(), WireFormatError);
  assert.throws(() => reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).varint(), /integer overflow/);
  assert.throws(() => reader(0x0c).tag(), /end group/);
});

test('skips unknown fields of every wire type', () => {
  const r = reader(0x08, 0x01, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a, 0x02, 0x61, 0x62, 0x25, 1, 2, 3, 4);
  for (const want of [0, 1, 2, 5]) {
    const t = r.tag();
    assert.equal(t.wireType, want);
    r.skip(t.wireType);
  }
  assert.ok(r.done);
});
