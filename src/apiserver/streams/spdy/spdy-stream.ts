// One SPDY stream as a Node Duplex: DATA frames in and out, half-close with FLAG_FIN, RST_STREAM to abort.
import { Duplex } from 'node:stream';
import { RstStatus, dataFrame, Flag, rstStreamFrame } from './frames.ts';
import type { SpdyHeaders } from './header-block.ts';

/** What a stream needs from its session; the session implements it. */
export interface StreamHost {
  /** Queues a frame (in order with every other frame of the connection); resolves once the socket took it. */
  send(frame: Buffer | Promise<Buffer>): Promise<void>;
  /** Resolves with how many bytes this stream may send now (at least 1), waiting for WINDOW_UPDATE when needed. */
  sendAllowance(stream: SpdyStream, wanted: number): Promise<number>;
  /** Data handed to the reader: the session acknowledges it with WINDOW_UPDATEs. */
  consumed(stream: SpdyStream, bytes: number): void;
  /** The reader of `stream` is full (true) or wants more (false): the connection's input pauses meanwhile. */
  blocked(stream: SpdyStream, blocked: boolean): void;
  /** The stream is gone (both sides finished, or reset). */
  released(stream: SpdyStream): void;
  readonly maxDataFrameBytes: number;
}

/** Events beyond Duplex: `reset` (status) when the peer aborted the stream. */
export class SpdyStream extends Duplex {
  readonly id: number;
  readonly headers: SpdyHeaders;
  readonly #host: StreamHost;
  #localFin = false;
  #remoteFin = false;
  #reset = false;

  constructor(host: StreamHost, id: number, headers: SpdyHeaders, remoteFin = false) {
    super({ allowHalfOpen: true });
    this.#host = host;
    this.id = id;
    this.headers = headers;
    if (remoteFin) {
      this.#remoteFin = true;
      this.push(null);
    }
  }

  /** True once the peer half-closed or reset the stream. */
  get remoteClosed(): boolean {
    return this.#remoteFin || this.#reset;
  }

  /** Called by the session for each DATA frame of this stream. */
  receive(data: Buffer, fin: boolean): void {
    if (this.#remoteFin || this.destroyed) return;
    if (data.length) {
      this.#host.consumed(this, data.length);
      if (!this.push(data)) this.#host.blocked(this, true);
    }
    if (fin) {
      this.#remoteFin = true;
      this.push(null);
    }
  }

  /** Called by the session when the peer sent RST_STREAM. */
  receiveReset(status: number): void {
    if (this.#reset) return;
    this.#reset = true;
    this.emit('reset', status);
    this.destroy();
  }

  /** Aborts the stream with RST_STREAM. */
  reset(status: number = RstStatus.cancel): void {
    if (this.#reset || this.destroyed) return;
    this.#reset = true;
    void this.#host.send(rstStreamFrame(this.id, status)).catch(() => {});
    this.destroy();
  }

  override _read(): void {
    this.#host.blocked(this, false);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.#sendData(chunk, false).then(() => cb(), cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.#sendData(Buffer.alloc(0), true).then(() => {
      this.#localFin = true;
      cb();
    }, cb);
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    if (!this.#reset && !(this.#localFin && this.#remoteFin)) {
      this.#reset = true;
      void this.#host.send(rstStreamFrame(this.id, RstStatus.cancel)).catch(() => {});
    }
    this.#host.blocked(this, false);
    this.#host.released(this);
    cb(err);
  }

  async #sendData(data: Buffer, fin: boolean): Promise<void> {
    let off = 0;
    do {
      if (this.#reset) throw new Error('write on a reset SPDY stream');
      const left = data.length - off;
      const n = left === 0 ? 0 : await this.#host.sendAllowance(this, Math.min(left, this.#host.maxDataFrameBytes));
      const piece = data.subarray(off, off + n);
      off += n;
      await this.#host.send(dataFrame(this.id, fin && off === data.length ? Flag.fin : 0, piece));
    } while (off < data.length);
  }
}
