import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { duplexPair, type Duplex } from 'node:stream';
import { SpdySession } from '../spdy/session.ts';
import type { SpdyStream } from '../spdy/spdy-stream.ts';
import { acceptPortForwardStream, PortForwardServer } from './port-forward-server.ts';

const readAll = (s: Duplex) =>
  new Promise<string>((resolve) => {
    let t = '';
    s.on('data', (d) => (t += d));
    s.on('end', () => resolve(t));
    s.on('close', () => resolve(t));
  });

async function echoServer(): Promise<{ port: number; server: Server }> {
  const server = createServer((c) => c.pipe(c));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, server };
}

function session() {
  const [a, b] = duplexPair();
  const pf = new PortForwardServer({
    pod: 'web',
    uid: 'u-1',
    dial: (port) =>
      new Promise((resolve, reject) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => resolve(s));
        s.once('error', () => reject(new Error(`dial tcp 127.0.0.1:${port}: connect: connection refused`)));
      }),
  }, { streamCreationTimeoutMs: 100 });
  new SpdySession(a, Buffer.alloc(0), { role: 'server', accept: acceptPortForwardStream, onStream: (s) => pf.onStream(s) });
  return new SpdySession(b, Buffer.alloc(0), { role: 'client' });
}

async function pair(client: SpdySession, port: number | string, requestId?: string): Promise<{ error: SpdyStream; data: SpdyStream }> {
  const h = (type: string) => ({ streamtype: [type], port: [String(port)], ...(requestId ? { requestid: [requestId] } : {}) });
  const error = await client.openStream(h('error'));
  error.end();
  const data = await client.openStream(h('data'));
  return { error, data };
}

test('each connection is an error+data pair: bytes go to the pod port and back, the FIN ends it, the error stream ends empty', async () => {
  const { port, server } = await echoServer();
  const client = session();
  try {
    const one = await pair(client, port, '0');
    const two = await pair(client, port, '1');
    const [e1, d1, d2] = [readAll(one.error), readAll(one.data), readAll(two.data)];
    one.data.end('first');
    two.data.end(Buffer.alloc(200_000, 'x'));
    assert.equal(await d1, 'first');
    assert.equal((await d2).length, 200_000);
    assert.equal(await e1, '');
  } finally {
    client.destroy();
    server.close();
  }
});

test('a refused port is reported on the error stream as the kubelet words it; bad headers are refused', async () => {
  const { port, server } = await echoServer();
  server.close();
  const client = session();
  try {
    const p = await pair(client, port, '5');
    assert.equal(await readAll(p.error), `error forwarding port ${port} to pod web, uid u-1: dial tcp 127.0.0.1:${port}: connect: connection refused`);
    await assert.rejects(client.openStream({ streamtype: ['data'], port: ['0'] }));
    await assert.rejects(client.openStream({ streamtype: ['data'], port: ['http'] }));
    await assert.rejects(client.openStream({ streamtype: ['stdin'], port: ['80'] }));
  } finally {
    client.destroy();
  }
});

test('without requestID, consecutive stream ids pair up (old clients); a lone stream times out with a message', async () => {
  const { port, server } = await echoServer();
  const client = session();
  try {
    const p = await pair(client, port);
    const echoed = readAll(p.data);
    p.data.end('old client');
    assert.equal(await echoed, 'old client');
    const lone = await client.openStream({ streamtype: ['error'], port: [String(port)], requestid: ['9'] });
    assert.match(await readAll(lone), /request=9\) timed out waiting for streams/);
  } finally {
    client.destroy();
    server.close();
  }
});
