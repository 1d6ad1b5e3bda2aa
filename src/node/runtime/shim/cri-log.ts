// Copies a container's stdout/stderr from its FIFO into the CRI log file, one `<RFC3339Nano> <stream> <F|P> <text>` line per line of output.
import { constants, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { Socket } from 'node:net';
import { formatRFC3339Nano, wallClockNanos } from '../../logs/log-time.ts';

/** containerd splits longer lines into partial (`P`) records of this size. */
const MAX_RECORD = 16 * 1024;

/** The record's time: Go's RFC3339Nano with real sub-millisecond digits, as containerd writes it. */
export function criTimestamp(): string {
  return formatRFC3339Nano(wallClockNanos());
}

export function criRecord(stream: 'stdout' | 'stderr', tag: 'F' | 'P', text: Buffer, timestamp = criTimestamp()): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp} ${stream} ${tag} `), text, Buffer.from('\n')]);
}

/** Reads one output FIFO of a container and appends CRI records to its log until every writer has closed it. */
export class CriLogPump {
  readonly done: Promise<void>;
  #pending: Buffer = Buffer.alloc(0);
  #socket: Socket;
  #finished = false;
  readonly #listeners = new Set<(chunk: Buffer) => void>();
  readonly #endListeners = new Set<() => void>();

  constructor(fifoPath: string, stream: 'stdout' | 'stderr', out: CriLogFile) {
    // A FIFO wrapped as a pipe handle: reads go through epoll, not the thread pool.
    const fd = openSync(fifoPath, constants.O_RDONLY | constants.O_NONBLOCK);
    this.#socket = new Socket({ fd, readable: true, writable: false });
    this.done = new Promise<void>((resolve) => {
      this.#socket.on('data', (chunk: Buffer) => {
        for (const fn of this.#listeners) fn(chunk);
        let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
        let nl: number;
        while ((nl = buf.indexOf(10)) !== -1) {
          // containerd drops the carriage return of a CRLF line end (a terminal's output) with the newline.
          let line = buf.subarray(0, nl > 0 && buf[nl - 1] === 13 ? nl - 1 : nl);
          while (line.length > MAX_RECORD) {
            out.write(criRecord(stream, 'P', line.subarray(0, MAX_RECORD)));
            line = line.subarray(MAX_RECORD);
          }
          out.write(criRecord(stream, 'F', line));
          buf = buf.subarray(nl + 1);
        }
        // A carriage return at the very end may be half of a CRLF still on its way.
        while (buf.length > MAX_RECORD || (buf.length === MAX_RECORD && buf[MAX_RECORD - 1] !== 13)) {
          out.write(criRecord(stream, 'P', buf.subarray(0, MAX_RECORD)));
          buf = buf.subarray(MAX_RECORD);
        }
        this.#pending = Buffer.from(buf);
      });
      const finish = () => {
        if (this.#finished) return;
        this.#finished = true;
        this.#listeners.clear();
        for (const fn of this.#endListeners) fn();
        this.#endListeners.clear();
        // Output that ends without a newline is a partial record, as containerd writes it.
        if (this.#pending.length) out.write(criRecord(stream, 'P', this.#pending));
        this.#pending = Buffer.alloc(0);
        resolve();
      };
      this.#socket.on('end', finish);
      this.#socket.on('error', finish);
      this.#socket.on('close', finish);
    });
  }

  /**
   * Passes on the raw output from now on (an attached client): `onData` per chunk as it comes, `onEnd` once the
   * container's output ended (at once when it already has). Returns the way to stop following.
   */
  follow(onData: (chunk: Buffer) => void, onEnd: () => void): () => void {
    if (this.#finished) {
      queueMicrotask(onEnd);
      return () => {};
    }
    this.#listeners.add(onData);
    this.#endListeners.add(onEnd);
    return () => {
      this.#listeners.delete(onData);
      this.#endListeners.delete(onEnd);
    };
  }

  /** Stops reading (the agent is going away; the container keeps its FIFO and the next agent reads on). */
  close(): void {
    this.#socket.destroy();
  }
}

/** The log file both streams of one container append to. */
export class CriLogFile {
  #stream: WriteStream;
  constructor(path: string) {
    this.#stream = createWriteStream(path, { flags: 'a' });
    this.#stream.on('error', () => {});
  }
  write(record: Buffer): void {
    this.#stream.write(record);
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.#stream.end(resolve));
  }
}
