import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplexPair, type Duplex } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { spdy3Dictionary } from './dictionary.ts';
import { FrameType, SpdyFrameParser, dataFrame, synStreamFrame, windowUpdateFrame } from './frames.ts';
import { HeaderCompressor, HeaderDecompressor, decodeNameValueBlock, encodeNameValueBlock, headerValue, type SpdyHeaders } from './header-block.ts';
import { SpdySession } from './session.ts';
import type { SpdyStream } from './spdy-stream.ts';

const read = (s: Duplex): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve(Buffer.concat(chunks)));
    s.on('error', reject);
  });

function pair(serverOptions: { accept?: (h: Record<string, string[]>) => boolean; onStream?: (s: SpdyStream) => void } = {}) {
  const [a, b] = duplexPair();
  const server = new SpdySession(a, Buffer.alloc(0), { role: 'server', ...serverOptions });
  const client = new SpdySession(b, Buffer.alloc(0), { role: 'client' });
  return { server, client, a, b };
}

test('the dictionary is SPDY/3 draft 3 §2.6.10.1: 1423 bytes, adler32 e3c6a7c2 in every header stream', async () => {
  assert.equal(spdy3Dictionary.length, 1423);
  const c = new HeaderCompressor();
  const first = await c.compress({ streamtype: ['error'], port: ['8080'] });
  // zlib header with FDICT set, then the dictionary's Adler-32.
  assert.equal(first[1] & 0x20, 0x20);
  assert.equal(first.subarray(2, 6).toString('hex'), 'e3c6a7c2');
  assert.deepEqual(decodeNameValueBlock(inflateSync(first, { dictionary: spdy3Dictionary, finishFlush: 2 })), { streamtype: ['error'], port: ['8080'] });
  c.close();
});

test('header blocks share one compression context per direction, and multi-valued headers travel NUL-separated', async () => {
  const c = new HeaderCompressor();
  const d = new HeaderDecompressor();
  const blocks: SpdyHeaders[] = [{ streamtype: ['stdin'] }, { streamtype: ['stdout'], 'x-a': ['1', '2'] }, {}];
  const compressed = await Promise.all(blocks.map((b) => c.compress(b)));
  assert.ok(compressed[1].length < encodeNameValueBlock(blocks[1]).length + 6, 'later blocks reuse the context');
  for (let i = 0; i < blocks.length; i++) assert.deepEqual(await d.decompress(compressed[i]), blocks[i]);
  assert.throws(() => decodeNameValueBlock(encodeNameValueBlock({ Upper: ['x'] }).fill(0x41, 8, 9)), /invalid header name/);
  c.close();
  d.close();
});

test('a client stream is replied to, echoes data both ways and half-closes with FIN', async () => {
  const seen: string[] = [];
  const { server, client } = pair({
    accept: (h) => headerValue(h, 'streamType') !== 'bogus',
    onStream: (s) => {
      seen.push(headerValue(s.headers, 'streamtype'));
      s.pipe(s);
    },
  });
  const stream = await client.openStream({ streamtype: ['data'], port: ['80'] });
  const got = read(stream);
  const big = Buffer.alloc(300_000, 3);
  stream.write('hello ');
  stream.end(big);
  const echoed = await got;
  assert.equal(echoed.length, 6 + big.length);
  assert.equal(echoed.subarray(0, 6).toString(), 'hello ');
  assert.deepEqual(seen, ['data']);
  await assert.rejects(client.openStream({ streamtype: ['bogus'] }), /reset/);
  await client.ping();
  client.destroy();
  server.destroy();
});

test('send windows are enforced once the peer speaks flow control, and WINDOW_UPDATEs reopen them', async () => {
  const [x, y] = duplexPair();
  const accepted = new Promise<SpdyStream>((resolve) => {
    new SpdySession(x, Buffer.alloc(0), { role: 'server', onStream: resolve, maxDataFrameBytes: 16 * 1024 });
  });
  const peerCompressor = new HeaderCompressor();
  const syn = await peerCompressor.compress({ streamtype: ['stdout'] });
  y.write(synStreamFrame(1, 0, 0, syn));
  // A session-level WINDOW_UPDATE shows the peer does flow control; then count the data bytes sent.
  y.write(windowUpdateFrame(0, 1));
  const stream = await accepted;
  const parser = new SpdyFrameParser();
  let dataBytes = 0;
  y.on('data', (c: Buffer) => {
    for (const f of parser.push(c)) if (f.kind === 'data') dataBytes += f.data.length;
  });
  stream.write(Buffer.alloc(200_000));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(dataBytes, 64 * 1024, 'stops at the initial 64 KiB stream window');
  y.write(windowUpdateFrame(1, 10_000));
  y.write(windowUpdateFrame(0, 100_000));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(dataBytes, 64 * 1024 + 10_000);
  peerCompressor.close();
  x.destroy();
  y.destroy();
});

test('without flow control from the peer (spdystream), large writes flow unhindered; the receiver acknowledges data', async () => {
  const [x, y] = duplexPair();
  const accepted = new Promise<SpdyStream>((resolve) => {
    new SpdySession(x, Buffer.alloc(0), { role: 'server', onStream: resolve });
  });
  const peer = new HeaderCompressor();
  y.write(synStreamFrame(1, 0, 0, await peer.compress({ streamtype: ['stdin'] })));
  const stream = await accepted;
  const parser = new SpdyFrameParser();
  let dataBytes = 0;
  const updates: number[][] = [];
  y.on('data', (c: Buffer) => {
    for (const f of parser.push(c)) {
      if (f.kind === 'data') dataBytes += f.data.length;
      else if (f.type === FrameType.windowUpdate) updates.push([f.payload.readUInt32BE(0), f.payload.readUInt32BE(4)]);
    }
  });
  stream.write(Buffer.alloc(300_000));
  y.write(dataFrame(1, 0, Buffer.alloc(40_000)));
  stream.resume();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(dataBytes, 300_000);
  assert.deepEqual(updates, [[0, 40_000], [1, 40_000]]);
  peer.close();
  x.destroy();
  y.destroy();
});
