// A SPDY/3.1 session over one connection: stream creation and acceptance, header compression, PING, GOAWAY, flow control.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  FrameType,
  Flag,
  GoAwayStatus,
  RstStatus,
  SettingId,
  SpdyFrameParser,
  SpdyProtocolError,
  goAwayFrame,
  initialWindowSize,
  pingFrame,
  rstStreamFrame,
  synReplyFrame,
  synStreamFrame,
  windowUpdateFrame,
  type SpdyFrame,
} from './frames.ts';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './header-block.ts';
import { SpdyStream, type StreamHost } from './spdy-stream.ts';

export interface SpdySessionOptions {
  /** Servers open even-numbered streams and answer odd ones; clients the reverse. */
  role: 'server' | 'client';
  /** Decides on a stream the peer opened; false refuses it with RST_STREAM (REFUSED_STREAM). Accepting sends SYN_REPLY. */
  accept?(headers: SpdyHeaders): boolean;
  /** An accepted stream, after its SYN_REPLY was queued. */
  onStream?(stream: SpdyStream): void;
  /** Largest DATA frame sent (bytes). */
  maxDataFrameBytes?: number;
}

interface Flow {
  /** Bytes we may still send on the stream (SPDY/3.1 §2.6.8). */
  sendWindow: number;
  /** Bytes received but not yet acknowledged with WINDOW_UPDATE. */
  unacked: number;
  waiters: (() => void)[];
}

/**
 * Events: `close` once the connection is gone. Flow control: WINDOW_UPDATEs are always sent for data received, but
 * the send windows are only enforced once the peer shows it speaks SPDY/3.1 flow control (a WINDOW_UPDATE or an
 * INITIAL_WINDOW_SIZE setting): Kubernetes' own SPDY library (moby/spdystream) never sends WINDOW_UPDATE, and a
 * strict sender would stall after 64 KiB towards kubectl.
 */
export class SpdySession extends EventEmitter {
  readonly #socket: Duplex;
  readonly #opts: SpdySessionOptions;
  readonly #parser = new SpdyFrameParser();
  readonly #compressor = new HeaderCompressor();
  readonly #decompressor = new HeaderDecompressor();
  readonly #streams = new Map<number, SpdyStream>();
  readonly #flows = new Map<number, Flow>();
  readonly #replies = new Map<number, { resolve: (s: SpdyStream) => void; reject: (e: Error) => void }>();
  readonly #pings = new Map<number, () => void>();
  readonly #blocked = new Set<SpdyStream>();
  readonly #host: StreamHost;
  #incoming: SpdyFrame[] = [];
  #processing = false;
  #endWhenIdle = false;
  #outTail: Promise<void> = Promise.resolve();
  #nextStreamId: number;
  #nextPingId: number;
  #lastPeerStreamId = 0;
  #sessionSendWindow = initialWindowSize;
  #sessionUnacked = 0;
  #initialSendWindow = initialWindowSize;
  #peerFlowControl = false;
  #goneAway = false;
  #peerGoneAway = false;
  #closed = false;

  constructor(socket: Duplex, head: Buffer, options: SpdySessionOptions) {
    super();
    this.#socket = socket;
    this.#opts = options;
    this.#nextStreamId = options.role === 'client' ? 1 : 2;
    this.#nextPingId = options.role === 'client' ? 1 : 2;
    const session = this;
    this.#host = {
      maxDataFrameBytes: options.maxDataFrameBytes ?? 32 * 1024,
      send: (frame) => session.#send(frame),
      sendAllowance: (stream, wanted) => session.#sendAllowance(stream, wanted),
      consumed: (stream, bytes) => session.#consumed(stream, bytes),
      blocked: (stream, blocked) => session.#setBlocked(stream, blocked),
      released: (stream) => session.#released(stream),
    };
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('close', () => this.#shutdown());
    // The peer finished sending: let the frames already read be handled before tearing down.
    socket.on('end', () => (this.#processing ? (this.#endWhenIdle = true) : this.#shutdown()));
    socket.on('error', () => this.#shutdown());
    if (head.length) queueMicrotask(() => this.#onData(head));
  }

  get closed(): boolean {
    return this.#closed;
  }

  get openStreams(): number {
    return this.#streams.size;
  }

  /** Opens a stream and resolves once the peer replied (SYN_REPLY) — rejects on RST_STREAM. */
  openStream(headers: SpdyHeaders, options: { fin?: boolean } = {}): Promise<SpdyStream> {
    if (this.#closed || this.#goneAway || this.#peerGoneAway) return Promise.reject(new Error('SPDY session is closing'));
    const id = this.#nextStreamId;
    this.#nextStreamId += 2;
    const stream = this.#register(id, headers, false);
    const replied = new Promise<SpdyStream>((resolve, reject) => this.#replies.set(id, { resolve, reject }));
    void this.#send(this.#compressor.compress(headers).then((block) => synStreamFrame(id, options.fin ? Flag.fin : 0, 0, block))).catch(() => {});
    if (options.fin) stream.end();
    return replied;
  }

  /** Sends a PING and resolves when the peer echoes it. */
  ping(): Promise<void> {
    const id = this.#nextPingId;
    this.#nextPingId = (this.#nextPingId + 2) % 0x100000000;
    return new Promise((resolve) => {
      this.#pings.set(id, resolve);
      void this.#send(pingFrame(id)).catch(() => {});
    });
  }

  /** Announces that no new streams will be accepted (GOAWAY); open streams carry on. */
  goAway(status: number = GoAwayStatus.ok): void {
    if (this.#goneAway || this.#closed) return;
    this.#goneAway = true;
    void this.#send(goAwayFrame(this.#lastPeerStreamId, status)).catch(() => {});
  }

  /** Ends the connection once every queued frame was written. */
  end(): void {
    void this.#outTail.then(() => this.#socket.end());
  }

  destroy(): void {
    this.#socket.destroy();
    this.#shutdown();
  }

  #register(id: number, headers: SpdyHeaders, remoteFin: boolean): SpdyStream {
    const stream = new SpdyStream(this.#host, id, headers, remoteFin);
    this.#streams.set(id, stream);
    this.#flows.set(id, { sendWindow: this.#initialSendWindow, unacked: 0, waiters: [] });
    return stream;
  }

  #send(frame: Buffer | Promise<Buffer>): Promise<void> {
    const socket = this.#socket;
    const next = this.#outTail.then(async () => {
      const bytes = await frame;
      if (socket.destroyed || !socket.writable) return;
      if (!socket.write(bytes)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
          };
          socket.on('drain', done);
          socket.on('close', done);
        });
      }
    });
    this.#outTail = next.catch(() => {});
    return next;
  }

  async #sendAllowance(stream: SpdyStream, wanted: number): Promise<number> {
    for (;;) {
      const flow = this.#flows.get(stream.id);
      if (!flow || this.#closed) throw new Error('SPDY stream is closed');
      const room = this.#peerFlowControl ? Math.min(flow.sendWindow, this.#sessionSendWindow) : wanted;
      if (room > 0) {
        const n = Math.min(room, wanted);
        flow.sendWindow -= n;
        this.#sessionSendWindow -= n;
        return n;
      }
      await new Promise<void>((resolve) => flow.waiters.push(resolve));
    }
  }

  #consumed(stream: SpdyStream, bytes: number): void {
    const flow = this.#flows.get(stream.id);
    this.#sessionUnacked += bytes;
    if (this.#sessionUnacked >= initialWindowSize / 2) {
      void this.#send(windowUpdateFrame(0, this.#sessionUnacked)).catch(() => {});
      this.#sessionUnacked = 0;
    }
    if (!flow) return;
    flow.unacked += bytes;
    if (flow.unacked >= initialWindowSize / 2 && !stream.remoteClosed) {
      void this.#send(windowUpdateFrame(stream.id, flow.unacked)).catch(() => {});
      flow.unacked = 0;
    }
  }

  #setBlocked(stream: SpdyStream, blocked: boolean): void {
    if (blocked) this.#blocked.add(stream);
    else this.#blocked.delete(stream);
    if (this.#blocked.size > 0) this.#socket.pause();
    else if (!this.#closed) this.#socket.resume();
  }

  #released(stream: SpdyStream): void {
    this.#streams.delete(stream.id);
    const flow = this.#flows.get(stream.id);
    this.#flows.delete(stream.id);
    for (const w of flow?.waiters ?? []) w();
    const pending = this.#replies.get(stream.id);
    if (pending) {
      this.#replies.delete(stream.id);
      pending.reject(new Error('SPDY stream was reset before its reply'));
    }
    this.emit('streamClosed', stream);
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    try {
      this.#incoming.push(...this.#parser.push(chunk));
    } catch (e) {
      this.#protocolError(e);
      return;
    }
    void this.#process();
  }

  async #process(): Promise<void> {
    if (this.#processing) return;
    this.#processing = true;
    try {
      while (this.#incoming.length && !this.#closed) {
        const pending = this.#handle(this.#incoming.shift()!);
        if (pending) await pending;
      }
    } catch (e) {
      this.#protocolError(e);
    } finally {
      this.#processing = false;
      if (this.#endWhenIdle) this.#shutdown();
    }
  }

  /** Handles one frame; returns a promise only for frames whose header block must be decompressed first. */
  #handle(f: SpdyFrame): Promise<void> | undefined {
    if (f.kind === 'data') {
      const stream = this.#streams.get(f.streamId);
      if (!stream) {
        void this.#send(rstStreamFrame(f.streamId, RstStatus.invalidStream)).catch(() => {});
        return undefined;
      }
      stream.receive(f.data, (f.flags & Flag.fin) !== 0);
      return undefined;
    }
    const p = f.payload;
    switch (f.type) {
      case FrameType.synStream:
        if (p.length < 10) throw new SpdyProtocolError('short SYN_STREAM');
        return this.#synStream(p.readUInt32BE(0) & 0x7fffffff, f.flags, p.subarray(10));
      case FrameType.synReply:
        if (p.length < 4) throw new SpdyProtocolError('short SYN_REPLY');
        return this.#synReply(p.readUInt32BE(0) & 0x7fffffff, f.flags, p.subarray(4));
      case FrameType.headers:
        if (p.length < 4) throw new SpdyProtocolError('short HEADERS');
        return this.#decompressor.decompress(p.subarray(4)).then(() => {
          const stream = this.#streams.get(p.readUInt32BE(0) & 0x7fffffff);
          if (stream && f.flags & Flag.fin) stream.receive(Buffer.alloc(0), true);
        });
      case FrameType.rstStream: {
        if (p.length < 8) throw new SpdyProtocolError('short RST_STREAM');
        this.#streams.get(p.readUInt32BE(0) & 0x7fffffff)?.receiveReset(p.readUInt32BE(4));
        return undefined;
      }
      case FrameType.settings:
        this.#settings(p);
        return undefined;
      case FrameType.ping: {
        if (p.length < 4) throw new SpdyProtocolError('short PING');
        const id = p.readUInt32BE(0);
        const mine = (id & 1) === (this.#opts.role === 'client' ? 1 : 0);
        if (mine) {
          this.#pings.get(id)?.();
          this.#pings.delete(id);
        } else {
          void this.#send(pingFrame(id)).catch(() => {});
        }
        return undefined;
      }
      case FrameType.goAway:
        this.#peerGoneAway = true;
        if (this.#streams.size === 0) this.end();
        return undefined;
      case FrameType.windowUpdate: {
        if (p.length < 8) throw new SpdyProtocolError('short WINDOW_UPDATE');
        this.#peerFlowControl = true;
        const id = p.readUInt32BE(0) & 0x7fffffff;
        const delta = p.readUInt32BE(4) & 0x7fffffff;
        if (id === 0) {
          this.#sessionSendWindow += delta;
          for (const flow of this.#flows.values()) this.#wake(flow);
        } else {
          const flow = this.#flows.get(id);
          if (flow) {
            flow.sendWindow += delta;
            this.#wake(flow);
          }
        }
        return undefined;
      }
      default:
        // Unknown control frames are ignored (SPDY/3 §2.2.1).
        return undefined;
    }
  }

  #wake(flow: Flow): void {
    const waiters = flow.waiters;
    flow.waiters = [];
    for (const w of waiters) w();
  }

  #settings(p: Buffer): void {
    if (p.length < 4) throw new SpdyProtocolError('short SETTINGS');
    const n = p.readUInt32BE(0);
    if (p.length < 4 + n * 8) throw new SpdyProtocolError('short SETTINGS');
    for (let i = 0; i < n; i++) {
      const id = p.readUInt32BE(4 + i * 8) & 0xffffff;
      const value = p.readUInt32BE(8 + i * 8);
      if (id !== SettingId.initialWindowSize) continue;
      this.#peerFlowControl = true;
      const delta = value - this.#initialSendWindow;
      this.#initialSendWindow = value;
      for (const flow of this.#flows.values()) {
        flow.sendWindow += delta;
        this.#wake(flow);
      }
    }
  }

  async #synStream(id: number, flags: number, block: Buffer): Promise<void> {
    const headers = await this.#decompressor.decompress(block);
    const peerParity = this.#opts.role === 'server' ? 1 : 0;
    if (id === 0 || (id & 1) !== peerParity || id <= this.#lastPeerStreamId) {
      void this.#send(rstStreamFrame(id, RstStatus.protocolError)).catch(() => {});
      return;
    }
    this.#lastPeerStreamId = id;
    if (this.#goneAway || this.#closed) {
      void this.#send(rstStreamFrame(id, RstStatus.refusedStream)).catch(() => {});
      return;
    }
    let accepted = true;
    try {
      accepted = this.#opts.accept ? this.#opts.accept(headers) : true;
    } catch {
      accepted = false;
    }
    if (!accepted) {
      void this.#send(rstStreamFrame(id, RstStatus.refusedStream)).catch(() => {});
      return;
    }
    const stream = this.#register(id, headers, (flags & Flag.fin) !== 0);
    void this.#send(this.#compressor.compress({}).then((b) => synReplyFrame(id, 0, b))).catch(() => {});
    this.#opts.onStream?.(stream);
  }

  async #synReply(id: number, flags: number, block: Buffer): Promise<void> {
    await this.#decompressor.decompress(block);
    const stream = this.#streams.get(id);
    const pending = this.#replies.get(id);
    this.#replies.delete(id);
    if (!stream || !pending) return;
    if (flags & Flag.fin) stream.receive(Buffer.alloc(0), true);
    pending.resolve(stream);
  }

  #protocolError(e: unknown): void {
    if (this.#closed) return;
    this.emit('protocolError', e);
    this.goAway(GoAwayStatus.protocolError);
    this.end();
    setTimeout(() => this.destroy(), 1000).unref();
  }

  #shutdown(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of [...this.#streams.values()]) s.destroy();
    for (const p of this.#replies.values()) p.reject(new Error('SPDY connection closed'));
    this.#replies.clear();
    for (const resolve of this.#pings.values()) resolve();
    this.#pings.clear();
    this.#compressor.close();
    this.#decompressor.close();
    if (!this.#socket.destroyed) this.#socket.destroy();
    this.emit('close');
  }
}
