import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { StatusError } from '../../../machinery/status-error.ts';
import { switchingProtocolsResponse, validateHandshake } from '../websocket/handshake.ts';
import { WebSocketConnection } from '../websocket/websocket-connection.ts';
import { forwardedPorts, serveWebSocketPortForward } from './websocket-port-forward.ts';

test('the ports parameter: repeated or comma-separated, each a port above 0', () => {
  const p = (q: string) => forwardedPorts(new URL(`https://x/portforward?${q}`));
  assert.deepEqual(p('ports=80,8080&ports=9000'), [80, 8080, 9000]);
  assert.throws(() => p(''), (e: unknown) => e instanceof StatusError && e.message === 'query parameter "ports" is required');
  assert.throws(() => p('ports=0'), (e: unknown) => e instanceof StatusError && e.message === 'port "0" must be > 0');
  assert.throws(() => p('ports=http'), /unable to parse "http" as a port/);
});

test('each port opens with its number on both channels, data flows on 2i, a refused port reports on 2i+1', async () => {
  const echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const open = (echo.address() as AddressInfo).port;
  const closed = await new Promise<number>((r) => {
    const t = createServer().listen(0, '127.0.0.1', () => {
      const port = (t.address() as AddressInfo).port;
      t.close(() => r(port));
    });
  });
  const http = createHttpServer();
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.write(switchingProtocolsResponse(validateHandshake(req), 'v4.channel.k8s.io'));
    serveWebSocketPortForward(new WebSocketConnection(socket, head), 'v4.channel.k8s.io', [open, closed], {
      pod: 'web',
      uid: 'u',
      dial: (port) =>
        new Promise((resolve, reject) => {
          const s = connect(port, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', () => reject(new Error('connection refused')));
        }),
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/`, ['v4.channel.k8s.io']);
    ws.binaryType = 'arraybuffer';
    const byChannel = new Map<number, Buffer[]>();
    ws.addEventListener('message', (e) => {
      const b = Buffer.from(e.data as ArrayBuffer);
      byChannel.set(b[0], [...(byChannel.get(b[0]) ?? []), b.subarray(1)]);
      if (b[0] === 0 && Buffer.concat(byChannel.get(0)!.slice(1)).toString() === 'hello') ws.close();
    });
    await new Promise((r) => ws.addEventListener('open', r));
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello')]));
    await new Promise((r) => ws.addEventListener('close', r));
    const le = (n: number) => Buffer.from([n & 0xff, n >> 8]);
    assert.deepEqual(byChannel.get(0)![0], le(open));
    assert.deepEqual(byChannel.get(1)![0], le(open));
    assert.deepEqual(byChannel.get(2)![0], le(closed));
    assert.equal(byChannel.get(3)![1].toString(), `error forwarding port ${closed} to pod web, uid u: connection refused`);
  } finally {
    http.close();
    echo.close();
  }
});
