import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createH2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { execProbe, httpProbe, runHandler, tcpProbe } from './prober.ts';
import { grpcHealthCheck } from './grpc-health.ts';
import { freePort } from '../../../test/e2e/cluster.ts';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

test('httpGet: 2xx/3xx success, 503 failure, refused and timed out connections, headers', async (t) => {
  const seen: Record<string, string | undefined>[] = [];
  const server = createServer((req, res) => {
    seen.push({ ua: req.headers['user-agent'], accept: req.headers.accept, custom: String(req.headers['x-probe']), host: req.headers.host });
    if (req.url === '/ready') return void res.end('ok');
    if (req.url === '/moved') return void res.writeHead(302, { location: '/ready' }).end();
    if (req.url === '/away') return void res.writeHead(301, { location: 'http://example.invalid/' }).end('bye');
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 1500);
    res.writeHead(503).end('no');
  });
  const port = await listen(server);
  t.after(() => server.close());
  assert.deepEqual(await httpProbe({ host: '127.0.0.1', port, path: '/ready', headers: [{ name: 'X-Probe', value: '1' }] }, 1000), { result: 'success', output: 'ok' });
  assert.deepEqual(seen[0], { ua: 'kube-probe/1.33', accept: '*/*', custom: '1', host: `127.0.0.1:${port}` });
  assert.deepEqual(await httpProbe({ host: '127.0.0.1', port, path: '/moved' }, 1000), { result: 'success', output: 'ok' });
  assert.deepEqual(await httpProbe({ host: '127.0.0.1', port, path: '/away' }, 1000), { result: 'warning', output: 'Probe terminated redirects, Response body: bye' });
  assert.deepEqual(await httpProbe({ host: '127.0.0.1', port, path: '/health' }, 1000), { result: 'failure', output: 'HTTP probe failed with statuscode: 503' });
  assert.deepEqual(await httpProbe({ host: '127.0.0.1', port, path: '/slow' }, 200), {
    result: 'failure',
    output: `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
  });
  const closed = await freePort();
  assert.deepEqual(await httpProbe({ host: '127.0.0.1', port: closed, path: '/ready' }, 1000), {
    result: 'failure',
    output: `Get "http://127.0.0.1:${closed}/ready": dial tcp 127.0.0.1:${closed}: connect: connection refused`,
  });
});

test('tcpSocket and named ports', async (t) => {
  const server = createServer(() => {});
  const port = await listen(server);
  t.after(() => server.close());
  assert.deepEqual(await tcpProbe('127.0.0.1', port, 1000), { result: 'success', output: '' });
  const closed = await freePort();
  assert.deepEqual(await tcpProbe('127.0.0.1', closed, 1000), { result: 'failure', output: `dial tcp 127.0.0.1:${closed}: connect: connection refused` });
  const viaName = await runHandler(
    { tcpSocket: { port: 'http' } },
    { podIP: '127.0.0.1', container: { name: 'c', ports: [{ name: 'http', containerPort: port }] }, containerID: 'x', runtime: { exec: async () => assert.fail() } },
    1000,
  );
  assert.equal(viaName.result, 'success');
});

function fakeExec(code: number, out: string, delayMs = 0) {
  return {
    exec: async () => {
      const stdout = new PassThrough();
      let killed = false;
      const exit = new Promise<number>((r) =>
        setTimeout(() => {
          stdout.end(out);
          r(killed ? 137 : code);
        }, delayMs),
      );
      return { stdout, exit, resize() {}, kill: () => (killed = true) };
    },
  };
}

test('exec: exit 0 success, non-zero failure with the output, timeout', async () => {
  const target = (code: number, out: string, delay = 0) => ({ podIP: '', container: { name: 'c' }, containerID: 'id', runtime: fakeExec(code, out, delay) });
  assert.deepEqual(await execProbe(target(0, 'fine'), ['cat', '/tmp/healthy'], 1000), { result: 'success', output: 'fine' });
  assert.deepEqual(await execProbe(target(1, 'cat: /tmp/healthy: No such file or directory\n'), ['cat', '/tmp/healthy'], 1000), {
    result: 'failure',
    output: 'cat: /tmp/healthy: No such file or directory\n',
  });
  assert.deepEqual(await execProbe(target(0, '', 300), ['sleep', '5'], 50), { result: 'failure', output: 'command "sleep 5" timed out' });
});

test('grpc health: SERVING, NOT_SERVING, not implemented, refused', async (t) => {
  const server = createH2Server();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      if (headers[':path'] !== '/grpc.health.v1.Health/Check') {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service' }, { endStream: true });
        return;
      }
      const req = Buffer.concat(chunks).subarray(5);
      const service = req.length ? req.subarray(2).toString() : '';
      const status = service === 'down' ? 2 : 1;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      const body = Buffer.from([0x08, status]);
      const frame = Buffer.alloc(5);
      frame.writeUInt32BE(body.length, 1);
      stream.end(Buffer.concat([frame, body]));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  t.after(() => server.close());
  assert.deepEqual(await grpcHealthCheck('127.0.0.1', port, '', 1000), { result: 'success', output: 'service healthy' });
  assert.deepEqual(await grpcHealthCheck('127.0.0.1', port, 'down', 1000), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
  const closed = await freePort();
  const r = await grpcHealthCheck('127.0.0.1', closed, '', 1000);
  assert.equal(r.result, 'failure');
  assert.match(r.output, new RegExp(`^error: failed to connect service at "127.0.0.1:${closed}"`));
});
