// A WebSocket seen as a byte stream: binary messages in and out, as kubectl tunnels SPDY through one for port-forward.
import { Duplex } from 'node:stream';
import type { WebSocketConnection } from './websocket-connection.ts';

export function webSocketByteStream(ws: WebSocketConnection): Duplex {
  const stream = new Duplex({
    allowHalfOpen: false,
    read() {
      ws.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      if (ws.closed) return cb(new Error('websocket closed'));
      if (ws.send(chunk, true)) return cb();
      const done = () => {
        ws.off('drain', done);
        ws.off('close', done);
        cb();
      };
      ws.on('drain', done);
      ws.on('close', done);
    },
    final(cb) {
      ws.close(1000);
      cb();
    },
    destroy(err, cb) {
      ws.destroy();
      cb(err);
    },
  });
  ws.on('message', (data: Buffer, binary: boolean) => {
    // client-go's TunnelingConnection only speaks binary messages.
    if (!binary) return ws.close(1003, 'invalid message type received');
    if (!stream.push(data)) ws.pause();
  });
  ws.on('close', () => {
    stream.push(null);
    stream.destroy();
  });
  return stream;
}
