import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptKey, chooseSubprotocol, offeredSubprotocols, switchingProtocolsResponse, validateHandshake } from './handshake.ts';
import { CloseCode, FrameParser, Opcode, encodeFrame } from './frames.ts';
import { WebSocketConnection } from './websocket-connection.ts';

/** An HTTP server whose upgrades become echoing WebSocket connections speaking `chat` or `echo.v2`. */
async function echoServer(): Promise<{ url: string; closes: { code: number; reason: string }[]; stop(): Promise<void> }> {
  const closes: { code: number; reason: string }[] = [];
  const server = createServer();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const key = validateHandshake(req);
    const protocol = chooseSubprotocol(offeredSubprotocols(req), ['echo.v2', 'chat']);
    socket.write(switchingProtocolsResponse(key, protocol));
    const ws = new WebSocketConnection(socket, head);
    ws.on('message', (data: Buffer, binary: boolean) => {
      if (!binary && data.toString() === 'bye') return ws.close(CloseCode.normal, 'as asked');
      ws.send(data, binary);
    });
    ws.on('close', (code: number, reason: string) => closes.push({ code, reason }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/`,
    closes,
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

test('the accept key is RFC 6455 §1.3 example', () => {
  assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('a browser-grade client negotiates its preferred subprotocol and gets text and binary echoes, small and large', async () => {
  const s = await echoServer();
  try {
    const ws = new WebSocket(s.url, ['chat', 'echo.v2']);
    ws.binaryType = 'arraybuffer';
    const got: (string | Buffer)[] = [];
    const done = new Promise<void>((resolve) => ws.addEventListener('close', () => resolve()));
    await new Promise((r) => ws.addEventListener('open', r));
    assert.equal(ws.protocol, 'chat');
    const big = Buffer.alloc(200_000, 7);
    ws.addEventListener('message', (e) => {
      got.push(typeof e.data === 'string' ? e.data : Buffer.from(e.data as ArrayBuffer));
      if (got.length === 3) ws.send('bye');
    });
    ws.send('hello');
    ws.send(new Uint8Array([1, 2, 3]));
    ws.send(big);
    await done;
    assert.deepEqual(got[0], 'hello');
    assert.deepEqual(got[1], Buffer.from([1, 2, 3]));
    assert.equal((got[2] as Buffer).length, big.length);
    assert.ok((got[2] as Buffer).equals(big));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(s.closes.map((c) => c.code), [1000]);
  } finally {
    await s.stop();
  }
});

/** A raw client socket that has completed the handshake. */
async function rawClient(url: string): Promise<{ socket: import('node:net').Socket; frames: () => Promise<{ opcode: number; payload: Buffer }[]> }> {
  const u = new URL(url);
  const socket = connect(Number(u.port), u.hostname);
  await new Promise((r) => socket.once('connect', r));
  socket.write(
    'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: echo.v2\r\n\r\n',
  );
  let buf = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => (buf = Buffer.concat([buf, d])));
  await new Promise((r) => setTimeout(r, 50));
  const end = buf.indexOf('\r\n\r\n');
  assert.match(buf.subarray(0, end).toString(), /^HTTP\/1.1 101 [\s\S]*Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\nSec-WebSocket-Protocol: echo.v2$/);
  buf = buf.subarray(end + 4);
  return {
    socket,
    frames: async () => {
      await new Promise((r) => setTimeout(r, 50));
      const p = new FrameParser({ requireMask: false, maxFrameBytes: 1 << 20 });
      const out = p.push(buf);
      buf = Buffer.alloc(0);
      return out;
    },
  };
}

test('pings are answered with pongs, fragments are reassembled, an unmasked frame closes with 1002', async () => {
  const s = await echoServer();
  try {
    const c = await rawClient(s.url);
    const mask = Buffer.from([9, 8, 7, 6]);
    c.socket.write(encodeFrame(Opcode.ping, Buffer.from('hb'), mask));
    // "abc" + "def" as two fragments of one binary message.
    const first = encodeFrame(Opcode.binary, Buffer.from('abc'), mask);
    first[0] &= 0x7f;
    c.socket.write(first);
    c.socket.write(encodeFrame(Opcode.continuation, Buffer.from('def'), mask));
    let frames = await c.frames();
    assert.deepEqual(frames.map((f) => [f.opcode, f.payload.toString()]), [[Opcode.pong, 'hb'], [Opcode.binary, 'abcdef']]);
    c.socket.write(encodeFrame(Opcode.binary, Buffer.from('no mask')));
    frames = await c.frames();
    assert.equal(frames[0].opcode, Opcode.close);
    assert.equal(frames[0].payload.readUInt16BE(0), 1002);
    assert.equal(s.closes[0].code, 1002);
    c.socket.destroy();
  } finally {
    await s.stop();
  }
});

test('the server answers a client close with the same code and ends the connection', async () => {
  const s = await echoServer();
  try {
    const c = await rawClient(s.url);
    const ended = new Promise((r) => c.socket.once('end', r));
    c.socket.write(encodeFrame(Opcode.close, Buffer.from([0x03, 0xe8, 0x6f, 0x6b]), Buffer.from([1, 2, 3, 4])));
    const frames = await c.frames();
    assert.equal(frames[0].opcode, Opcode.close);
    assert.equal(frames[0].payload.readUInt16BE(0), 1000);
    await ended;
    assert.deepEqual(s.closes, [{ code: 1000, reason: 'ok' }]);
    c.socket.destroy();
  } finally {
    await s.stop();
  }
});
