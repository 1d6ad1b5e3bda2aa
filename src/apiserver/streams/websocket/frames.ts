// RFC 6455 §5 framing: encoding server frames and incrementally parsing (masked) client frames.

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** RFC 6455 §7.4.1 close codes used here. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  noStatus: 1005,
  invalidPayload: 1007,
  tooBig: 1009,
  internalError: 1011,
} as const;

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** A peer broke the framing rules; the connection is closed with `closeCode`. */
export class WebSocketProtocolError extends Error {
  readonly code = 'STREAMS_ERR_WEBSOCKET_PROTOCOL';
  readonly closeCode: number;
  constructor(message: string, closeCode: number = CloseCode.protocolError) {
    super(message);
    this.name = 'WebSocketProtocolError';
    this.closeCode = closeCode;
  }
}

/** One unfragmented frame; `mask` is for client-role writers (tests), servers send unmasked. */
export function encodeFrame(opcode: number, payload: Buffer, mask?: Buffer): Buffer {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 0x10000 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + (mask ? 4 : 0));
  head[0] = 0x80 | opcode;
  head[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  else if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) return Buffer.concat([head, payload]);
  mask.copy(head, 2 + ext);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([head, body]);
}

export function closePayload(code: number, reason: string): Buffer {
  const r = Buffer.from(reason, 'utf8').subarray(0, 123);
  const b = Buffer.alloc(2 + r.length);
  b.writeUInt16BE(code, 0);
  r.copy(b, 2);
  return b;
}

/** Parses a byte stream into frames; `requireMask` enforces §5.1 (a server must reject unmasked client frames). */
export class FrameParser {
  readonly #requireMask: boolean;
  readonly #maxFrameBytes: number;
  #buf: Buffer = Buffer.alloc(0);

  constructor(options: { requireMask: boolean; maxFrameBytes: number }) {
    this.#requireMask = options.requireMask;
    this.#maxFrameBytes = options.maxFrameBytes;
  }

  /** Adds bytes and returns every frame now complete; throws WebSocketProtocolError on a framing violation. */
  push(chunk: Buffer): Frame[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const frames: Frame[] = [];
    for (;;) {
      const f = this.#next();
      if (!f) return frames;
      frames.push(f);
    }
  }

  #next(): Frame | undefined {
    const b = this.#buf;
    if (b.length < 2) return undefined;
    const fin = (b[0] & 0x80) !== 0;
    if (b[0] & 0x70) throw new WebSocketProtocolError('reserved bits set without a negotiated extension');
    const opcode = b[0] & 0x0f;
    const masked = (b[1] & 0x80) !== 0;
    if (this.#requireMask && !masked) throw new WebSocketProtocolError('client frame is not masked');
    let len = b[1] & 0x7f;
    let off = 2;
    if (len === 126) {
      if (b.length < 4) return undefined;
      len = b.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (b.length < 10) return undefined;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(this.#maxFrameBytes)) throw new WebSocketProtocolError('frame too large', CloseCode.tooBig);
      len = Number(big);
      off = 10;
    }
    if (opcode >= 0x8) {
      if (!fin) throw new WebSocketProtocolError('fragmented control frame');
      if (len > 125) throw new WebSocketProtocolError('control frame payload longer than 125 bytes');
    }
    if (len > this.#maxFrameBytes) throw new WebSocketProtocolError('frame too large', CloseCode.tooBig);
    const total = off + (masked ? 4 : 0) + len;
    if (b.length < total) return undefined;
    let payload: Buffer;
    if (masked) {
      const key = b.subarray(off, off + 4);
      payload = Buffer.from(b.subarray(off + 4, total));
      for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
    } else {
      payload = Buffer.from(b.subarray(off, total));
    }
    this.#buf = b.subarray(total);
    return { fin, opcode, payload };
  }
}
