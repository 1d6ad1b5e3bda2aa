// Copies a container's stdout/stderr from its FIFO into the CRI log file, one `<RFC3339Nano> <stream> <F|P> <text>` line per line of output.
import { closeSync, constants, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { Socket } from 'node:net';

/** containerd splits longer lines into partial (`P`) records of this size. */
const MAX_RECORD = 16 * 1024;

let lastMs = 0;
let seq = 0;

/** RFC 3339 with nanoseconds, strictly increasing within this process so records keep their order when sorted. */
export function criTimestamp(now = Date.now()): string {
  if (now === lastMs) seq++;
  else {
    lastMs = now;
    seq = 0;
  }
  const iso = new Date(now).toISOString(); // 2024-01-02T03:04:05.678Z
  const micro = String(Math.min(seq, 999_999)).padStart(6, '0');
  return `${iso.slice(0, 23)}${micro}Z`;
}

export function criRecord(stream: 'stdout' | 'stderr', tag: 'F' | 'P', text: Buffer, timestamp = criTimestamp()): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp} ${stream} ${tag} `), text, Buffer.from('\n')]);
}

/** Reads one output FIFO of a container and appends CRI records to its log until every writer has closed it. */
export class CriLogPump {
  readonly done: Promise<void>;
  #pending: Buffer = Buffer.alloc(0);
  #socket: Socket;
  #hold?: number;

  /**
   * `hold` keeps a write end open until `release()`: a pump made before the shim starts then sees no end of file
   * before the shim holds the FIFO, and nothing a quick container writes is lost.
   */
  constructor(fifoPath: string, stream: 'stdout' | 'stderr', out: CriLogFile, hold = false) {
    // A FIFO wrapped as a pipe handle: reads go through epoll, not the thread pool.
    const fd = openSync(fifoPath, constants.O_RDONLY | constants.O_NONBLOCK);
    if (hold) this.#hold = openSync(fifoPath, constants.O_WRONLY | constants.O_NONBLOCK);
    this.#socket = new Socket({ fd, readable: true, writable: false });
    this.done = new Promise<void>((resolve) => {
      this.#socket.on('data', (chunk: Buffer) => {
        let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
        let nl: number;
        while ((nl = buf.indexOf(10)) !== -1) {
          let line = buf.subarray(0, nl);
          while (line.length > MAX_RECORD) {
            out.write(criRecord(stream, 'P', line.subarray(0, MAX_RECORD)));
            line = line.subarray(MAX_RECORD);
          }
          out.write(criRecord(stream, 'F', line));
          buf = buf.subarray(nl + 1);
        }
        while (buf.length >= MAX_RECORD) {
          out.write(criRecord(stream, 'P', buf.subarray(0, MAX_RECORD)));
          buf = buf.subarray(MAX_RECORD);
        }
        this.#pending = Buffer.from(buf);
      });
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        if (this.#pending.length) out.write(criRecord(stream, 'F', this.#pending));
        this.#pending = Buffer.alloc(0);
        resolve();
      };
      this.#socket.on('end', finish);
      this.#socket.on('error', finish);
      this.#socket.on('close', finish);
    });
  }

  /** Lets go of the write end `hold` kept (the shim holds its own now, or never will). */
  release(): void {
    if (this.#hold !== undefined) {
      closeSync(this.#hold);
      this.#hold = undefined;
    }
  }

  /** Stops reading (the agent is going away; the container keeps its FIFO and the next agent reads on). */
  close(): void {
    this.release();
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
