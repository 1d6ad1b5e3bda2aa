// Reads the protobuf wire format: tags, varints, fixed-width numbers and length-delimited fields.

/** Wire types of the protobuf encoding (groups, 3 and 4, are not used by Kubernetes and are refused). */
export const WireType = { varint: 0, fixed64: 1, bytes: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

/** Malformed protobuf input; messages follow the ones gogo-generated unmarshalers return. */
export class WireFormatError extends Error {
  readonly code = 'DABBA_ERR_PROTOBUF_WIRE_FORMAT';
}

/** A 64-bit varint or fixed64 as two unsigned 32-bit halves, so no precision is lost before the type is known. */
export interface Bits64 {
  lo: number;
  hi: number;
}

export class WireReader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a varint of up to 10 bytes as two 32-bit halves. */
  varint(): Bits64 {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw new WireFormatError('unexpected EOF');
      const b = this.buf[this.pos++];
      const bits = b & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >> 4;
      } else hi |= bits << (shift - 32);
      if (b < 0x80) return { lo: lo >>> 0, hi: hi >>> 0 };
    }
    throw new WireFormatError('proto: integer overflow');
  }

  /** A varint that must fit in 32 bits unsigned (tags and lengths). */
  uint32(): number {
    const { lo, hi } = this.varint();
    if (hi !== 0) throw new WireFormatError('proto: integer overflow');
    return lo;
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) throw new WireFormatError('unexpected EOF');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getUint32(0, true);
    this.pos += 4;
    return v;
  }

  fixed64(): Bits64 {
    const lo = this.fixed32();
    const hi = this.fixed32();
    return { lo, hi };
  }

  /** The contents of a length-delimited field, as a view into the buffer. */
  bytes(): Uint8Array {
    const len = this.uint32();
    if (len > 0x7fffffff) throw new WireFormatError('proto: negative length found during unmarshaling');
    if (this.pos + len > this.end) throw new WireFormatError('unexpected EOF');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** Reads a field key; returns its number and wire type. */
  tag(): { number: number; wireType: number } {
    const key = this.uint32();
    const wireType = key & 7;
    const number = key >>> 3;
    if (wireType === WireType.endGroup) throw new WireFormatError('proto: wiretype end group for non-group');
    if (number <= 0) throw new WireFormatError(`proto: illegal tag ${number} (wire type ${wireType})`);
    return { number, wireType };
  }

  /** Skips a field's value of the given wire type (unknown fields are dropped, as upstream does). */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.varint();
        return;
      case WireType.fixed64:
        this.fixed64();
        return;
      case WireType.bytes:
        this.bytes();
        return;
      case WireType.fixed32:
        this.fixed32();
        return;
      default:
        throw new WireFormatError(`proto: illegal wireType ${wireType}`);
    }
  }
}

const two32 = 2 ** 32;

/** A 64-bit two's complement value as a number (exact up to 2^53, as JSON numbers are in practice). */
export function int64(v: Bits64): number {
  if (v.hi & 0x80000000) return -((~v.hi >>> 0) * two32 + (~v.lo >>> 0) + 1);
  return v.hi * two32 + v.lo;
}

export function uint64(v: Bits64): number {
  return v.hi * two32 + v.lo;
}

/** Protobuf int32 is sign-extended to 64 bits on the wire: the low half holds it. */
export function int32(v: Bits64): number {
  return v.lo | 0;
}

export function zigzag32(v: Bits64): number {
  return (v.lo >>> 1) ^ -(v.lo & 1);
}

export function zigzag64(v: Bits64): number {
  const lo = ((v.lo >>> 1) | (v.hi << 31)) >>> 0;
  const hi = v.hi >>> 1;
  const magnitude = hi * two32 + lo;
  return v.lo & 1 ? -magnitude - 1 : magnitude;
}
