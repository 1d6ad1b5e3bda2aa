// Pod streams against a real `dabba up` whose node agent is a stand-in (test/e2e/streams/fake-node-proxy.ts): logs,
// exec, attach, cp and port-forward with kubectl 1.27 (SPDY), 1.29 (SPDY, v5 offered) and 1.33 (WebSocket v5 and
// WebSocket-tunnelled SPDY), exec with the Python client (v4) and client-node, and eviction with `kubectl drain`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { api, exists, freePort, kubectlPath, repoRoot, run, TestCluster } from '../cluster.ts';

const versions = [27, 29, 33];
const python = '/usr/bin/python3';
const preload = join(repoRoot, 'test/e2e/streams/install-fake-node-proxy.ts');

const podManifest = (name: string, nodeName = 'fake-node', extra: object = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      ...extra,
      // An unscheduled pod names a scheduler that does not exist, so the cluster's own scheduler leaves it be.
      ...(nodeName ? { nodeName } : { schedulerName: 'nobody' }),
      containers: [
        { name: 'app', image: 'busybox', stdin: true },
        { name: 'side', image: 'busybox' },
      ],
    },
  });

/** Sends `size` bytes through a local port and resolves with what came back. */
function roundTrip(port: number, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    let n = 0;
    s.on('data', (d: Buffer) => {
      got.push(d);
      n += d.length;
      if (n >= data.length) s.end();
    });
    s.on('error', reject);
    s.on('close', () => resolve(Buffer.concat(got)));
    s.write(data);
  });
}

describe('pod streams through the NodeProxy (stand-in node agent)', async () => {
  let c: TestCluster;
  let work: string;
  let echo: Server;
  let echoPort: number;
  const kubectl = (v: number, args: string[], input?: string) => c.kubectl(v, args, input);

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'dabba-streams-'));
    // The host runtime: this cluster's own node agent has nothing to run, so it should touch the machine least.
    c = await TestCluster.start(['--runtime', 'host'], { NODE_OPTIONS: `--import=${preload}`, DABBA_TEST_FAKE_NODE_PROXY_DIR: work });
    echo = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as AddressInfo).port;
    for (const name of ['web', 'drain-me']) {
      const r = await kubectl(33, ['apply', '-f', '-'], podManifest(name));
      assert.equal(r.code, 0, r.stderr);
      const s = await kubectl(33, ['patch', 'pod', name, '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Running"}}']);
      assert.equal(s.code, 0, s.stderr);
    }
    assert.equal((await kubectl(33, ['apply', '-f', '-'], podManifest('unscheduled', ''))).code, 0);
  });
  after(async () => {
    echo?.close();
    await c?.destroy();
    if (work) await rm(work, { recursive: true, force: true });
  });

  for (const v of versions) {
    it(`kubectl 1.${v} exec: output, stdin, and the exit code`, async () => {
      const hello = await kubectl(v, ['exec', 'web', '--', 'echo', 'hello']);
      assert.equal(hello.code, 0, hello.stderr);
      assert.equal(hello.stdout, 'hello\n');
      assert.match(hello.stderr, /Defaulted container "app" out of: app, side/);

      const failed = await kubectl(v, ['exec', 'web', '-c', 'side', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.equal(failed.code, 3, failed.stderr);
      assert.equal(failed.stdout, 'out\n');
      assert.match(failed.stderr, /^err\n/m);
      assert.match(failed.stderr, /command terminated with exit code 3/);

      const typed = await kubectl(v, ['exec', '-i', 'web', '-c', 'app', '--', 'cat'], 'hello-stdin\nsecond line\n');
      assert.equal(typed.code, 0, typed.stderr);
      assert.equal(typed.stdout, 'hello-stdin\nsecond line\n');
    });
  }

  it('exec errors: an unknown container, an unscheduled pod, a missing pod', async () => {
    const bad = await kubectl(33, ['exec', 'web', '-c', 'nope', '--', 'true']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /container nope is not valid for pod web/);
    const unscheduled = await kubectl(27, ['exec', 'unscheduled', '-c', 'app', '--', 'true']);
    assert.match(unscheduled.stderr, /pod unscheduled does not have a host assigned/);
    const missing = await kubectl(33, ['exec', 'ghost', '--', 'true']);
    assert.match(missing.stderr, /pods "ghost" not found/);
  });

  for (const v of [27, 33]) {
    it(`kubectl 1.${v} cp: a file into the pod and back (tar over exec)`, async () => {
      const local = join(work, `upload-${v}.bin`);
      const data = randomBytes(3 * 1024 * 1024);
      await writeFile(local, data);
      const into = join(work, `pod-${v}`);
      await mkdir(into);
      const up = await kubectl(v, ['cp', local, `web:${into}/copied.bin`, '-c', 'app']);
      assert.equal(up.code, 0, up.stderr);
      assert.ok((await readFile(join(into, 'copied.bin'))).equals(data));
      const back = join(work, `back-${v}.bin`);
      const down = await kubectl(v, ['cp', `web:${into}/copied.bin`, back, '-c', 'app']);
      assert.equal(down.code, 0, down.stderr);
      assert.ok((await readFile(back)).equals(data));
    });

    it(`kubectl 1.${v} attach -i: the container's stdin and stdout`, async () => {
      const r = await kubectl(v, ['attach', '-i', 'web', '-c', 'app'], 'attached-input\n');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'attached-input\n');
    });

    it(`kubectl 1.${v} logs: tail, timestamps, since, limit-bytes, -c, previous and follow`, async () => {
      const lines = (r: { stdout: string }) => r.stdout.trimEnd().split('\n');
      assert.deepEqual(lines(await kubectl(v, ['logs', 'web', '-c', 'app'])), [1, 2, 3, 4, 5].map((i) => `app line ${i}`));
      assert.deepEqual(lines(await kubectl(v, ['logs', 'web', '-c', 'side', '--tail=2'])), ['side line 4', 'side line 5']);
      assert.deepEqual(lines(await kubectl(v, ['logs', 'web', '-c', 'app', '--timestamps', '--tail=1'])), ['2025-01-01T00:00:04.000000000Z app line 5']);
      assert.equal((await kubectl(v, ['logs', 'web', '-c', 'app', '--limit-bytes=12'])).stdout, 'app line 1\na');
      assert.deepEqual(lines(await kubectl(v, ['logs', 'web', '-c', 'app', '--previous', '--tail=1'])), ['app previous line 5']);
      assert.equal((await kubectl(v, ['logs', 'web', '-c', 'app', '--since=1h'])).stdout, '');
      const followed = await kubectl(v, ['logs', '-f', 'web', '-c', 'app', '--tail=1']);
      assert.deepEqual(lines(followed), ['app line 5', 'app followed 1', 'app followed 2']);
      const waiting = await kubectl(v, ['logs', 'web', '-c', 'nope']);
      assert.match(waiting.stderr, /container nope is not valid for pod web/);
      assert.equal((await kubectl(v, ['logs', 'unscheduled', '-c', 'app'])).stdout, '');
    });

    it(`kubectl 1.${v} port-forward: a local port reaches the pod's port (${v >= 31 ? 'SPDY in a WebSocket' : 'SPDY'})`, async () => {
      const local = await freePort();
      const pf = spawn(kubectlPath(v), ['--kubeconfig', c.kubeconfig, 'port-forward', 'pod/web', `${local}:${echoPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      pf.stdout.on('data', (d) => (out += d));
      pf.stderr.on('data', (d) => (out += d));
      try {
        const deadline = Date.now() + 15_000;
        while (!out.includes('Forwarding from 127.0.0.1') && Date.now() < deadline && pf.exitCode === null) await new Promise((r) => setTimeout(r, 50));
        assert.match(out, /Forwarding from 127\.0\.0\.1:\d+ -> \d+/);
        assert.equal((await roundTrip(local, Buffer.from('ping'))).toString(), 'ping');
        const big = randomBytes(2 * 1024 * 1024);
        assert.ok((await roundTrip(local, big)).equals(big));
        const again = await Promise.all([roundTrip(local, Buffer.from('a')), roundTrip(local, Buffer.from('b'))]);
        assert.deepEqual(again.map(String), ['a', 'b']);
      } finally {
        pf.kill();
      }
    });
  }

  it('port-forward to a closed port reports the kubelet error through kubectl', async () => {
    const local = await freePort();
    const closed = await freePort();
    const pf = spawn(kubectlPath(33), ['--kubeconfig', c.kubeconfig, 'port-forward', 'pod/web', `${local}:${closed}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    pf.stdout.on('data', (d) => (out += d));
    pf.stderr.on('data', (d) => (out += d));
    try {
      while (!out.includes('Forwarding from 127.0.0.1')) await new Promise((r) => setTimeout(r, 50));
      await roundTrip(local, Buffer.from('x')).catch(() => Buffer.alloc(0));
      const deadline = Date.now() + 5000;
      while (!out.includes('error forwarding port') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, new RegExp(`error forwarding port ${closed} to pod web, uid [0-9a-f-]+: dial tcp 127\\.0\\.0\\.1:${closed}: connect: connection refused`));
    } finally {
      pf.kill();
    }
  });

  const hasPy = (await exists(python)) && (await run(python, ['-c', 'import kubernetes'])).code === 0;
  it('the Python client execs over WebSocket v4.channel.k8s.io (output, stdin, return codes)', { skip: hasPy ? false : 'skipped: python3-kubernetes not installed' }, async () => {
    const r = await run(python, [join(repoRoot, 'test/e2e/streams/python_exec.py'), c.kubeconfig, 'web', 'default']);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /python exec ok/);
  });

  it('the Python client forwards a port over the kubelet\'s WebSocket protocol', { skip: hasPy ? false : 'skipped: python3-kubernetes not installed' }, async () => {
    const r = await run(python, [join(repoRoot, 'test/e2e/streams/python_port_forward.py'), c.kubeconfig, 'web', 'default', String(echoPort)]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /python port-forward ok/);
  });

  it('@kubernetes/client-node Exec: output, stdin and the final Status', async () => {
    const r = await run(process.execPath, [join(repoRoot, 'test/e2e/streams/client_node_exec.ts'), c.kubeconfig, 'web', 'default']);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /client-node exec ok/);
  });

  it('upgrade requests are authenticated and authorized like any other', async () => {
    const upgrade = { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' };
    const anonymous = await api(c, 'POST', '/api/v1/namespaces/default/pods/web/exec?command=true&container=app', { anonymous: true, headers: upgrade });
    assert.equal(anonymous.status, 401);
    assert.equal((await kubectl(33, ['create', 'serviceaccount', 'nobody'])).code, 0);
    const token = (await kubectl(33, ['create', 'token', 'nobody'])).stdout.trim();
    const forbidden = await api(c, 'POST', '/api/v1/namespaces/default/pods/web/exec?command=true&container=app', {
      anonymous: true,
      headers: { ...upgrade, Authorization: `Bearer ${token}` },
    });
    assert.equal(forbidden.status, 403);
    assert.equal(
      forbidden.json().message,
      'pods "web" is forbidden: User "system:serviceaccount:default:nobody" cannot create resource "pods/exec" in API group "" in the namespace "default"',
    );
    const plain = await api(c, 'POST', '/api/v1/namespaces/default/pods/web/exec?command=true&container=app');
    assert.equal(plain.status, 400);
    assert.equal(plain.json().message, 'Upgrade request required');
  });

  it('pods/eviction answers 201 Success and deletes; kubectl drain evicts what runs on the node', async () => {
    const evict = (name: string, body: object) => api(c, 'POST', `/api/v1/namespaces/default/pods/${name}/eviction`, { body });
    const mismatch = await evict('drain-me', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json().message, 'name in URL does not match name in Eviction object');
    assert.equal((await api(c, 'GET', '/api/v1')).json().resources.find((r: { name: string }) => r.name === 'pods/eviction')?.kind, 'Eviction');

    // A pod on a node is deleted gracefully: its kubelet (none here) would finish it.
    assert.equal((await kubectl(33, ['apply', '-f', '-'], podManifest('evicted'))).code, 0);
    const ok = await evict('evicted', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evicted', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 20 } });
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const terminating = (await api(c, 'GET', '/api/v1/namespaces/default/pods/evicted')).json();
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 20);
    // Without a grace period it is gone at once.
    assert.equal((await kubectl(33, ['apply', '-f', '-'], podManifest('evicted-now', 'fake-node', { terminationGracePeriodSeconds: 0 }))).code, 0);
    assert.equal((await evict('evicted-now', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evicted-now' } })).status, 201);
    assert.equal((await api(c, 'GET', '/api/v1/namespaces/default/pods/evicted-now')).status, 404);

    await kubectl(33, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'drained-node' } }));
    assert.equal((await kubectl(33, ['apply', '-f', '-'], podManifest('on-drained', 'drained-node', { terminationGracePeriodSeconds: 0 }))).code, 0);
    const drain = await kubectl(27, ['drain', 'drained-node', '--force', '--ignore-daemonsets', '--timeout=30s']);
    assert.equal(drain.code, 0, drain.stderr);
    assert.match(drain.stdout, /evicting pod default\/on-drained/);
    assert.match(drain.stdout, /pod\/on-drained evicted/);
    assert.equal((await api(c, 'GET', '/api/v1/namespaces/default/pods/on-drained')).status, 404);
  });
});
