// The client's exec/attach streams over SPDY: the client opens one stream per channel, named by its streamType header.
import type { Duplex } from 'node:stream';
import { finished } from 'node:stream/promises';
import { SpdySession } from '../spdy/session.ts';
import type { SpdyStream } from '../spdy/spdy-stream.ts';
import { headerValue } from '../spdy/header-block.ts';
import { JsonObjectStream, terminalSizeOf } from './json-object-stream.ts';
import { RemoteCommandProtocol, encodeStatus, streamTypeChannel, type RemoteCommandStatus } from './protocols.ts';
import type { RemoteCommandStreams, StreamOptions, TerminalSize } from './remote-command.ts';

/** The client did not open its streams in time (upstream: "timed out waiting for client to create streams"). */
export class StreamCreationTimeoutError extends Error {
  readonly code = 'STREAMS_ERR_STREAM_CREATION_TIMEOUT';
  constructor() {
    super('timed out waiting for client to create streams');
    this.name = 'StreamCreationTimeoutError';
  }
}

export interface SpdyStreamsOptions extends StreamOptions {
  /** Upstream's DefaultStreamCreationTimeout is 30 s. */
  streamCreationTimeoutMs?: number;
  /** How long to wait, after the end, for the client to close the connection itself. */
  lingerMs?: number;
}

const supportsResize = (protocol: string) => protocol !== RemoteCommandProtocol.v1 && protocol !== RemoteCommandProtocol.v2;

/** Runs the SPDY session on an upgraded socket and resolves once the client opened every stream it should. */
export function spdyRemoteCommandStreams(socket: Duplex, head: Buffer, protocol: string, opts: SpdyStreamsOptions): Promise<RemoteCommandStreams> {
  const expected = 1 + Number(opts.stdin) + Number(opts.stdout) + Number(opts.stderr && !opts.tty) + Number(opts.tty && supportsResize(protocol));
  const streams = new Map<string, SpdyStream>();
  let received = 0;
  let finishing = false;
  let gone: () => void = () => {};
  const clientGone = new Promise<void>((resolve) => (gone = resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new StreamCreationTimeoutError());
      session.destroy();
    }, opts.streamCreationTimeoutMs ?? 30_000);
    const session: SpdySession = new SpdySession(socket, head, {
      role: 'server',
      onStream(stream) {
        const type = headerValue(stream.headers, 'streamtype');
        if (!(type in streamTypeChannel) || streams.has(type)) {
          // Upstream logs an unexpected stream type and leaves it be.
          stream.resume();
          return;
        }
        streams.set(type, stream);
        stream.on('error', () => {});
        if (++received === expected) {
          clearTimeout(timer);
          resolve(build());
        }
      },
    });
    session.on('close', () => {
      clearTimeout(timer);
      reject(new Error('the client closed the connection before opening its streams'));
      if (!finishing) gone();
    });

    function build(): RemoteCommandStreams {
      const stdin = streams.get('stdin');
      const error = streams.get('error');
      const resize = streams.get('resize');
      const listeners: ((s: TerminalSize) => void)[] = [];
      if (resize) {
        const decoder = new JsonObjectStream();
        resize.on('data', (c: Buffer) => {
          for (const v of decoder.push(c.toString('utf8'))) {
            const size = terminalSizeOf(v);
            if (size) for (const fn of listeners) fn(size);
          }
        });
      }
      // The error stream never carries client data; reading it lets it finish.
      error?.resume();
      return {
        stdin: opts.stdin ? stdin : undefined,
        stdout: opts.stdout ? streams.get('stdout') : undefined,
        stderr: opts.stderr && !opts.tty ? streams.get('stderr') : undefined,
        onResize: (fn) => listeners.push(fn),
        clientGone,
        async finish(status: RemoteCommandStatus) {
          finishing = true;
          const bytes = encodeStatus(status, protocol);
          if (error && !error.destroyed) {
            if (bytes) error.write(bytes);
            error.end();
            // The GOAWAY must not overtake the status.
            await finished(error, { readable: false }).catch(() => {});
          }
          if (stdin && !stdin.destroyed) stdin.end();
          // As the kubelet: GOAWAY, then let the client (which reads the error stream to its end) close the connection.
          session.goAway();
          const t = setTimeout(() => session.destroy(), opts.lingerMs ?? 60_000);
          t.unref();
          session.once('close', () => clearTimeout(t));
        },
        abort: () => session.destroy(),
      };
    }
  });
}
