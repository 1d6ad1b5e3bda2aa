// A server-side WebSocket connection over an upgraded socket: messages in and out, ping/pong, the closing handshake.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { CloseCode, FrameParser, Opcode, WebSocketProtocolError, closePayload, encodeFrame, type Frame } from './frames.ts';

export interface WebSocketConnectionOptions {
  /** Largest message accepted (kubectl cp sends stdin in 32 KiB messages; 64 MiB leaves ample room). */
  maxMessageBytes?: number;
  /** Destroy the socket when the peer does not answer our close frame within this time. */
  closeTimeoutMs?: number;
}

/**
 * Events: `message` (data: Buffer, binary: boolean), `close` (code: number, reason: string) once the connection is gone,
 * `drain` when writes may continue after `send` returned false.
 */
export class WebSocketConnection extends EventEmitter {
  readonly #socket: Duplex;
  readonly #parser: FrameParser;
  readonly #maxMessageBytes: number;
  readonly #closeTimeoutMs: number;
  #fragments: Buffer[] = [];
  #fragmentBytes = 0;
  #fragmentOpcode = -1;
  #closeSent = false;
  #closed = false;
  #closeCode: number = CloseCode.noStatus;
  #closeReason = '';

  constructor(socket: Duplex, head: Buffer, options: WebSocketConnectionOptions = {}) {
    super();
    this.#socket = socket;
    this.#maxMessageBytes = options.maxMessageBytes ?? 64 * 1024 * 1024;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.#parser = new FrameParser({ requireMask: true, maxFrameBytes: this.#maxMessageBytes });
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('drain', () => this.emit('drain'));
    socket.on('end', () => this.#finish(CloseCode.goingAway, ''));
    socket.on('close', () => this.#finish(this.#closeCode === CloseCode.noStatus ? 1006 : this.#closeCode, this.#closeReason));
    socket.on('error', () => {});
    if (head.length) queueMicrotask(() => this.#receive(head));
  }

  get closed(): boolean {
    return this.#closed || this.#closeSent;
  }

  /** Sends one message; false when the socket's buffer is full (wait for `drain`). */
  send(data: Buffer | string, binary = true): boolean {
    if (this.closed) return true;
    const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return this.#socket.write(encodeFrame(binary ? Opcode.binary : Opcode.text, payload));
  }

  /** Starts the closing handshake; the socket ends when the peer answers (or after a timeout). */
  close(code: number = CloseCode.normal, reason = ''): void {
    if (this.#closeSent || this.#closed) return;
    this.#closeSent = true;
    this.#closeCode = code;
    this.#closeReason = reason;
    this.#socket.write(encodeFrame(Opcode.close, closePayload(code, reason)));
    const t = setTimeout(() => this.#socket.destroy(), this.#closeTimeoutMs);
    t.unref();
    this.#socket.once('close', () => clearTimeout(t));
  }

  /** Drops the connection without a closing handshake. */
  destroy(): void {
    this.#socket.destroy();
  }

  pause(): void {
    this.#socket.pause();
  }

  resume(): void {
    this.#socket.resume();
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    let frames: Frame[];
    try {
      frames = this.#parser.push(chunk);
    } catch (e) {
      const code = e instanceof WebSocketProtocolError ? e.closeCode : CloseCode.protocolError;
      this.#fail(code, e instanceof Error ? e.message : String(e));
      return;
    }
    for (const f of frames) {
      try {
        this.#frame(f);
      } catch (e) {
        const code = e instanceof WebSocketProtocolError ? e.closeCode : CloseCode.internalError;
        this.#fail(code, e instanceof Error ? e.message : String(e));
        return;
      }
      if (this.#closed) return;
    }
  }

  #frame(f: Frame): void {
    switch (f.opcode) {
      case Opcode.ping:
        if (!this.#closeSent) this.#socket.write(encodeFrame(Opcode.pong, f.payload));
        return;
      case Opcode.pong:
        return;
      case Opcode.close: {
        const code = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : CloseCode.noStatus;
        const reason = f.payload.length > 2 ? f.payload.subarray(2).toString('utf8') : '';
        if (f.payload.length === 1) throw new WebSocketProtocolError('close frame with a one-byte payload');
        if (!this.#closeSent) {
          this.#closeSent = true;
          this.#socket.write(encodeFrame(Opcode.close, code === CloseCode.noStatus ? Buffer.alloc(0) : closePayload(code, '')));
        }
        this.#closeCode = code;
        this.#closeReason = reason;
        // RFC 6455 §7.1.1: the server closes the TCP connection first.
        this.#socket.end();
        this.#finish(code, reason);
        return;
      }
      case Opcode.text:
      case Opcode.binary:
        if (this.#fragmentOpcode !== -1) throw new WebSocketProtocolError('new message before the fragmented one finished');
        if (f.fin) {
          this.#deliver(f.opcode, f.payload);
          return;
        }
        this.#fragmentOpcode = f.opcode;
        this.#collect(f.payload);
        return;
      case Opcode.continuation:
        if (this.#fragmentOpcode === -1) throw new WebSocketProtocolError('continuation frame without a message');
        this.#collect(f.payload);
        if (f.fin) {
          const data = Buffer.concat(this.#fragments);
          const op = this.#fragmentOpcode;
          this.#fragments = [];
          this.#fragmentBytes = 0;
          this.#fragmentOpcode = -1;
          this.#deliver(op, data);
        }
        return;
      default:
        throw new WebSocketProtocolError(`unknown opcode ${f.opcode}`);
    }
  }

  #collect(payload: Buffer): void {
    this.#fragmentBytes += payload.length;
    if (this.#fragmentBytes > this.#maxMessageBytes) throw new WebSocketProtocolError('message too large', CloseCode.tooBig);
    this.#fragments.push(payload);
  }

  #deliver(opcode: number, data: Buffer): void {
    if (this.#closeSent) return;
    this.emit('message', data, opcode === Opcode.binary);
  }

  #fail(code: number, reason: string): void {
    this.close(code, reason);
    this.#socket.end();
    this.#finish(code, reason);
  }

  #finish(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close', code, reason);
  }
}
