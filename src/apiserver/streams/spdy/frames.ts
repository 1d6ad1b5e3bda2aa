// SPDY/3.1 framing: control and data frame layouts, their encoders, and an incremental frame parser.

export const spdyVersion = 3;

export const FrameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

/** FLAG_FIN on data and SYN/HEADERS frames; FLAG_UNIDIRECTIONAL on SYN_STREAM. */
export const Flag = { fin: 0x01, unidirectional: 0x02 } as const;

export const RstStatus = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  unsupportedVersion: 4,
  cancel: 5,
  internalError: 6,
  flowControlError: 7,
  streamInUse: 8,
  streamAlreadyClosed: 9,
  frameTooLarge: 11,
} as const;

export const GoAwayStatus = { ok: 0, protocolError: 1, internalError: 2 } as const;

/** SETTINGS ids this implementation reads. */
export const SettingId = { initialWindowSize: 7 } as const;

export const initialWindowSize = 64 * 1024;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; payload: Buffer };

/** The peer sent bytes that are not SPDY/3 framing. */
export class SpdyProtocolError extends Error {
  readonly code = 'STREAMS_ERR_SPDY_PROTOCOL';
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

const maxFrameLength = 0xffffff;

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > maxFrameLength) throw new SpdyProtocolError('control frame too large');
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | spdyVersion, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((flags & 0xff) << 24 | data.length) >>> 0, 4);
  return Buffer.concat([head, data]);
}

const u32 = (...values: number[]): Buffer => {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
};

/** SYN_STREAM: stream id, associated stream id, priority (3 bits) and slot, then the compressed header block. */
export function synStreamFrame(streamId: number, flags: number, priority: number, headerBlock: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE(0, 4);
  fixed[8] = (priority & 0x7) << 5;
  fixed[9] = 0;
  return controlFrame(FrameType.synStream, flags, Buffer.concat([fixed, headerBlock]));
}

export function synReplyFrame(streamId: number, flags: number, headerBlock: Buffer): Buffer {
  return controlFrame(FrameType.synReply, flags, Buffer.concat([u32(streamId & 0x7fffffff), headerBlock]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  return controlFrame(FrameType.rstStream, 0, u32(streamId & 0x7fffffff, status));
}

export function pingFrame(id: number): Buffer {
  return controlFrame(FrameType.ping, 0, u32(id));
}

export function goAwayFrame(lastGoodStreamId: number, status: number): Buffer {
  return controlFrame(FrameType.goAway, 0, u32(lastGoodStreamId & 0x7fffffff, status));
}

export function windowUpdateFrame(streamId: number, delta: number): Buffer {
  return controlFrame(FrameType.windowUpdate, 0, u32(streamId & 0x7fffffff, delta & 0x7fffffff));
}

export function settingsFrame(entries: { id: number; value: number; flags?: number }[]): Buffer {
  const b = Buffer.alloc(4 + entries.length * 8);
  b.writeUInt32BE(entries.length, 0);
  entries.forEach((e, i) => {
    b.writeUInt32BE((((e.flags ?? 0) & 0xff) << 24 | (e.id & 0xffffff)) >>> 0, 4 + i * 8);
    b.writeUInt32BE(e.value >>> 0, 8 + i * 8);
  });
  return controlFrame(FrameType.settings, 0, b);
}

/** Splits a byte stream into frames. */
export class SpdyFrameParser {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const out: SpdyFrame[] = [];
    while (this.#buf.length >= 8) {
      const b = this.#buf;
      const length = b.readUInt32BE(4) & 0xffffff;
      if (b.length < 8 + length) break;
      const flags = b[4];
      const body = Buffer.from(b.subarray(8, 8 + length));
      if (b[0] & 0x80) {
        const version = b.readUInt16BE(0) & 0x7fff;
        if (version !== spdyVersion) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        out.push({ kind: 'control', type: b.readUInt16BE(2), flags, payload: body });
      } else {
        out.push({ kind: 'data', streamId: b.readUInt32BE(0) & 0x7fffffff, flags, data: body });
      }
      this.#buf = b.subarray(8 + length);
    }
    return out;
  }
}
