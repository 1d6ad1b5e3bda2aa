import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { duplexPair, PassThrough, type Duplex } from 'node:stream';
import type { ExecSession } from '../../../node/runtime/runtime.ts';
import { SpdySession } from '../spdy/session.ts';
import { FrameType, SpdyFrameParser } from '../spdy/frames.ts';
import { chooseSubprotocol, offeredSubprotocols, switchingProtocolsResponse, validateHandshake } from '../websocket/handshake.ts';
import { WebSocketConnection } from '../websocket/websocket-connection.ts';
import { exitStatus, webSocketRemoteCommandProtocols } from './protocols.ts';
import { execRun, runRemoteCommand, type StreamOptions } from './remote-command.ts';
import { spdyRemoteCommandStreams, StreamCreationTimeoutError } from './spdy-streams.ts';
import { webSocketRemoteCommandStreams } from './websocket-streams.ts';

/** A "command" that upper-cases its stdin to stdout, says "err" on stderr, and exits with `code` when stdin ends. */
function shout(code: number): ExecSession & { sizes: number[][] } {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const sizes: number[][] = [];
  let exit: (n: number) => void = () => {};
  stdin.on('data', (d: Buffer) => stdout.write(d.toString().toUpperCase()));
  stdin.on('end', () => {
    stderr.end('err');
    stdout.end();
    exit(code);
  });
  return { stdin, stdout, stderr, sizes, resize: (w, h) => sizes.push([w, h]), exit: new Promise((r) => (exit = r)), kill: () => {} };
}

const opts: StreamOptions = { stdin: true, stdout: true, stderr: true, tty: false };

async function wsServer(code: number) {
  const sessions: ReturnType<typeof shout>[] = [];
  const server = createServer();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const key = validateHandshake(req);
    const protocol = chooseSubprotocol(offeredSubprotocols(req), webSocketRemoteCommandProtocols)!;
    socket.write(switchingProtocolsResponse(key, protocol));
    const io = webSocketRemoteCommandStreams(new WebSocketConnection(socket, head), protocol, opts);
    const s = shout(code);
    sessions.push(s);
    void runRemoteCommand(s, io, execRun((c) => exitStatus(c, ['shout'], protocol)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, sessions, close: () => server.close() };
}

/** Connects, sends `send`, collects every message until the server closes. */
async function wsRun(url: string, protocol: string, send: (ws: WebSocket) => void): Promise<(string | Buffer)[]> {
  const ws = new WebSocket(url, [protocol]);
  ws.binaryType = 'arraybuffer';
  const got: (string | Buffer)[] = [];
  ws.addEventListener('message', (e) => got.push(typeof e.data === 'string' ? e.data : Buffer.from(e.data as ArrayBuffer)));
  await new Promise((r) => ws.addEventListener('open', r));
  assert.equal(ws.protocol, protocol);
  send(ws);
  await new Promise((r) => ws.addEventListener('close', r));
  return got;
}

test('v5 over WebSocket: a first empty stdout message, output per channel, CLOSE of stdin, resize, the Status, then close', async () => {
  const s = await wsServer(4);
  try {
    const got = await wsRun(s.url, 'v5.channel.k8s.io', (ws) => {
      ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,"Height":30}')]));
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hi')]));
      ws.send(Buffer.from([255, 0]));
    });
    const msgs = got.map((m) => [(m as Buffer)[0], (m as Buffer).subarray(1).toString()]);
    assert.deepEqual(msgs[0], [1, '']);
    assert.deepEqual(msgs.slice(1, 3), [[1, 'HI'], [2, 'err']]);
    const status = JSON.parse(msgs[3][1] as string);
    assert.equal(msgs[3][0], 3);
    assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '4' }]);
    assert.equal(msgs.length, 4);
    assert.deepEqual(s.sessions[0].sizes, [[100, 30]]);
  } finally {
    s.close();
  }
});

test('v4.base64 over WebSocket: channel digits and base64 in text messages; stdin ends when the client closes', async () => {
  const s = await wsServer(0);
  try {
    const got = await wsRun(s.url, 'v4.base64.channel.k8s.io', (ws) => {
      ws.send('0' + Buffer.from('abc').toString('base64'));
      setTimeout(() => ws.close(1000), 50);
    });
    assert.equal(got[0], '1');
    assert.equal(got[1], '1' + Buffer.from('ABC').toString('base64'));
  } finally {
    s.close();
  }
});

test('SPDY: the session waits for every stream, reports the Status on the error stream before its GOAWAY', async () => {
  const [a, b] = duplexPair();
  const serverSide = spdyRemoteCommandStreams(a, Buffer.alloc(0), 'v4.channel.k8s.io', { ...opts, lingerMs: 200 });
  const frames: string[] = [];
  const parser = new SpdyFrameParser();
  b.on('data', (c: Buffer) => {
    for (const f of parser.push(c)) if (f.kind === 'control' && f.type === FrameType.goAway) frames.push('GOAWAY');
  });
  const client = new SpdySession(b, Buffer.alloc(0), { role: 'client' });
  const error = await client.openStream({ streamtype: ['error'] });
  const stdin = await client.openStream({ streamtype: ['stdin'] });
  const stdout = await client.openStream({ streamtype: ['stdout'] });
  const stderr = await client.openStream({ streamtype: ['stderr'] });
  const read = (s: Duplex) => new Promise<string>((r) => { let t = ''; s.on('data', (d) => (t += d)); s.on('end', () => r(t)); });
  const [out, err, status] = [read(stdout), read(stderr), read(error).then((t) => (frames.push('status'), t))];
  void runRemoteCommand(shout(9), await serverSide, execRun((c) => exitStatus(c, ['shout'], 'v4.channel.k8s.io')));
  stdin.end('quiet');
  assert.equal(await out, 'QUIET');
  assert.equal(await err, 'err');
  assert.equal(JSON.parse(await status).details.causes[0].message, '9');
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(frames, ['status', 'GOAWAY']);
  client.destroy();
});

test('SPDY: a client that does not open its streams in time gets the connection closed', async () => {
  const [a, b] = duplexPair();
  const serverSide = spdyRemoteCommandStreams(a, Buffer.alloc(0), 'v4.channel.k8s.io', { ...opts, streamCreationTimeoutMs: 50 });
  const client = new SpdySession(b, Buffer.alloc(0), { role: 'client' });
  await client.openStream({ streamtype: ['error'] });
  await assert.rejects(serverSide, StreamCreationTimeoutError);
  assert.equal(a.destroyed, true);
  client.destroy();
});
