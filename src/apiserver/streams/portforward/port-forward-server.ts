// The port-forward protocol (portforward.k8s.io) over a SPDY session: an error and a data stream per forwarded connection.
import type { Duplex } from 'node:stream';
import { headerValue, type SpdyHeaders } from '../spdy/header-block.ts';
import type { SpdyStream } from '../spdy/spdy-stream.ts';

export const portForwardProtocol = 'portforward.k8s.io';

export interface PortForwardTarget {
  /** Opens a connection to `port` inside the pod. */
  dial(port: number): Promise<Duplex>;
  /** For error messages: the pod name and uid as the kubelet names them. */
  pod: string;
  uid: string;
}

interface Pair {
  id: string;
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** Accepts streams whose headers name a valid port and stream type (kubelet httpStreamReceived). */
export function acceptPortForwardStream(headers: SpdyHeaders): boolean {
  const port = headerValue(headers, 'port');
  if (!/^\d+$/.test(port)) return false;
  const n = Number(port);
  if (n < 1 || n > 65535) return false;
  const type = headerValue(headers, 'streamtype');
  return type === 'error' || type === 'data';
}

/** Pairs the streams of each forwarded connection and copies bytes between the data stream and the pod's port. */
export class PortForwardServer {
  readonly #target: PortForwardTarget;
  readonly #pairs = new Map<string, Pair>();
  readonly #creationTimeoutMs: number;

  constructor(target: PortForwardTarget, options: { streamCreationTimeoutMs?: number } = {}) {
    this.#target = target;
    this.#creationTimeoutMs = options.streamCreationTimeoutMs ?? 30_000;
  }

  /** Gives the session's accepted streams here. */
  onStream(stream: SpdyStream): void {
    stream.on('error', () => {});
    const type = headerValue(stream.headers, 'streamtype');
    const id = this.#requestId(stream, type);
    let pair = this.#pairs.get(id);
    if (!pair) {
      const p: Pair = {
        id,
        timer: setTimeout(() => this.#timedOut(p), this.#creationTimeoutMs),
      };
      p.timer.unref();
      pair = p;
      this.#pairs.set(id, p);
    }
    if (type === 'error') pair.error = stream;
    else pair.data = stream;
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      this.#pairs.delete(id);
      void this.#forward(pair.error, pair.data);
    }
  }

  /** Clients that predate the requestID header get consecutive stream ids per pair (kubelet requestID()). */
  #requestId(stream: SpdyStream, type: string): string {
    const given = headerValue(stream.headers, 'requestid');
    if (given) return given;
    return String(type === 'error' ? stream.id : stream.id - 2);
  }

  #timedOut(pair: Pair): void {
    this.#pairs.delete(pair.id);
    const msg = `(conn=SPDY, request=${pair.id}) timed out waiting for streams`;
    if (pair.error && !pair.error.destroyed) pair.error.end(msg);
    pair.data?.reset();
  }

  async #forward(errorStream: SpdyStream, data: SpdyStream): Promise<void> {
    errorStream.resume();
    const port = Number(headerValue(data.headers, 'port'));
    let conn: Duplex;
    try {
      conn = await this.#target.dial(port);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      if (!errorStream.destroyed) errorStream.end(`error forwarding port ${port} to pod ${this.#target.pod}, uid ${this.#target.uid}: ${why}`);
      if (!data.destroyed) data.end();
      data.resume();
      return;
    }
    conn.on('error', () => {});
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      conn.destroy();
      if (!errorStream.destroyed) errorStream.end();
      if (!data.destroyed) data.end();
    };
    // Pod → client; the pod closing its side half-closes the data stream.
    conn.pipe(data, { end: true });
    // Client → pod; the client's FIN half-closes the connection into the pod.
    data.pipe(conn, { end: true });
    conn.on('close', finish);
    data.on('reset', finish);
    data.on('close', finish);
  }

  /** The session ended: drop streams still waiting for their partner. */
  close(): void {
    for (const p of this.#pairs.values()) clearTimeout(p.timer);
    this.#pairs.clear();
  }
}
