// SPDY/3 name/value header blocks: their layout and the per-connection zlib contexts (with the SPDY dictionary) they travel in.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { spdy3Dictionary } from './dictionary.ts';
import { SpdyProtocolError } from './frames.ts';

/** Header names (lowercase, as SPDY/3 requires) to their values (several values travel NUL-separated). */
export type SpdyHeaders = Record<string, string[]>;

/** The first value of a header, like Go's http.Header.Get. */
export function headerValue(headers: SpdyHeaders, name: string): string {
  return headers[name.toLowerCase()]?.[0] ?? '';
}

export function encodeNameValueBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, values] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeNameValueBlock(block: Buffer): SpdyHeaders {
  const out: SpdyHeaders = {};
  let off = 0;
  const read = (): Buffer => {
    if (off + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) throw new SpdyProtocolError('truncated header block');
    const b = block.subarray(off, off + len);
    off += len;
    return b;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  off = 4;
  for (let i = 0; i < count; i++) {
    const name = read().toString('utf8');
    if (name === '' || name !== name.toLowerCase()) throw new SpdyProtocolError(`invalid header name ${JSON.stringify(name)}`);
    const values = read().toString('utf8').split('\0');
    (out[name] ??= []).push(...values);
  }
  return out;
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
};

/**
 * One direction's zlib stream. Every header block is flushed with Z_SYNC_FLUSH so the peer can decode it at once,
 * while the compression context carries over from block to block for the whole connection (SPDY/3 §2.6.10.1).
 */
class ZlibContext {
  readonly #z: Deflate | Inflate;
  readonly #maxOutput: number;
  #chain: Promise<unknown> = Promise.resolve();
  #out: Buffer[] = [];
  #outBytes = 0;
  #failed: Error | undefined;
  #reject: ((e: Error) => void) | undefined;

  constructor(z: Deflate | Inflate, maxOutput: number) {
    this.#z = z;
    this.#maxOutput = maxOutput;
    z.on('data', (c: Buffer) => {
      this.#out.push(c);
      this.#outBytes += c.length;
    });
    z.on('error', (e: Error) => {
      this.#failed = e;
      this.#reject?.(new SpdyProtocolError(`header block: ${e.message}`));
    });
  }

  /** Transforms one block; calls are serialised so blocks keep their order. */
  run(input: Buffer): Promise<Buffer> {
    const next = this.#chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.#failed) return reject(new SpdyProtocolError(`header block: ${this.#failed.message}`));
          this.#reject = reject;
          this.#out = [];
          this.#outBytes = 0;
          this.#z.write(input);
          this.#z.flush(constants.Z_SYNC_FLUSH, () => {
            // Output pushed while the readable side was busy is emitted on the next tick; collect it first.
            setImmediate(() => {
              this.#reject = undefined;
              if (this.#failed) return reject(new SpdyProtocolError(`header block: ${this.#failed.message}`));
              if (this.#outBytes > this.#maxOutput) return reject(new SpdyProtocolError('header block too large'));
              resolve(Buffer.concat(this.#out));
            });
          });
        }),
    );
    this.#chain = next.catch(() => {});
    return next;
  }

  close(): void {
    this.#z.destroy();
  }
}

/** Compresses the header blocks this side sends. */
export class HeaderCompressor {
  readonly #ctx = new ZlibContext(createDeflate({ dictionary: spdy3Dictionary, level: constants.Z_BEST_COMPRESSION }), Infinity);

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.#ctx.run(encodeNameValueBlock(headers));
  }

  close(): void {
    this.#ctx.close();
  }
}

/** Decompresses the header blocks the peer sends. */
export class HeaderDecompressor {
  readonly #ctx: ZlibContext;

  constructor(maxBlockBytes = 1024 * 1024) {
    this.#ctx = new ZlibContext(createInflate({ dictionary: spdy3Dictionary }), maxBlockBytes);
  }

  async decompress(compressed: Buffer): Promise<SpdyHeaders> {
    return decodeNameValueBlock(await this.#ctx.run(compressed));
  }

  close(): void {
    this.#ctx.close();
  }
}
