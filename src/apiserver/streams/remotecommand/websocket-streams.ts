// The client's exec/attach streams over a WebSocket: one channel byte (or digit, base64) per message, v5's CLOSE signal.
import { PassThrough, Writable } from 'node:stream';
import type { WebSocketConnection } from '../websocket/websocket-connection.ts';
import { JsonObjectStream, terminalSizeOf } from './json-object-stream.ts';
import { Channel, encodeStatus, isBase64Protocol, supportsCloseSignal, type RemoteCommandStatus } from './protocols.ts';
import type { RemoteCommandStreams, StreamOptions, TerminalSize } from './remote-command.ts';

export function webSocketRemoteCommandStreams(ws: WebSocketConnection, protocol: string, opts: StreamOptions): RemoteCommandStreams {
  const base64 = isBase64Protocol(protocol);
  const closeSignal = supportsCloseSignal(protocol);
  const frame = (channel: number, data: Buffer): Buffer | string =>
    base64 ? String.fromCharCode(48 + channel) + data.toString('base64') : Buffer.concat([Buffer.from([channel]), data]);
  const send = (channel: number, data: Buffer): boolean => ws.send(frame(channel, data), !base64);

  const channelWriter = (channel: number) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (ws.closed) return cb();
        if (send(channel, chunk)) return cb();
        const done = () => {
          ws.off('drain', done);
          ws.off('close', done);
          cb();
        };
        ws.on('drain', done);
        ws.on('close', done);
      },
    });

  const stdin = opts.stdin ? new PassThrough() : undefined;
  stdin?.on('drain', () => ws.resume());
  const resizeListeners: ((s: TerminalSize) => void)[] = [];
  const resizeDecoder = new JsonObjectStream();
  let gone: () => void = () => {};
  const clientGone = new Promise<void>((resolve) => (gone = resolve));
  let finishing = false;

  // Text frames are read like binary ones on the binary protocols: the Python client sends its stdin as text.
  ws.on('message', (raw: Buffer) => {
    if (raw.length === 0) return;
    if (closeSignal && raw[0] === Channel.close) {
      if (raw.length === 2 && raw[1] === Channel.stdin) stdin?.end();
      return;
    }
    let channel = raw[0];
    let data = raw.subarray(1);
    if (base64) {
      channel = raw[0] - 48;
      data = Buffer.from(raw.subarray(1).toString('latin1'), 'base64');
    }
    if (channel === Channel.stdin && stdin && !stdin.writableEnded) {
      if (!stdin.write(data)) ws.pause();
    } else if (channel === Channel.resize) {
      for (const v of resizeDecoder.push(data.toString('utf8'))) {
        const size = terminalSizeOf(v);
        if (size) for (const fn of resizeListeners) fn(size);
      }
    }
  });
  ws.on('close', () => {
    stdin?.end();
    if (!finishing) gone();
  });

  // Upstream sends an empty message on the lowest writable channel so clients know the connection is established.
  send(opts.stdout ? Channel.stdout : opts.stderr ? Channel.stderr : Channel.error, Buffer.alloc(0));

  return {
    stdin,
    stdout: opts.stdout ? channelWriter(Channel.stdout) : undefined,
    stderr: opts.stderr && !opts.tty ? channelWriter(Channel.stderr) : undefined,
    onResize: (fn) => resizeListeners.push(fn),
    clientGone,
    async finish(status: RemoteCommandStatus) {
      finishing = true;
      const bytes = encodeStatus(status, protocol);
      if (bytes) send(Channel.error, bytes);
      ws.close(1000);
    },
    abort: () => ws.destroy(),
  };
}
