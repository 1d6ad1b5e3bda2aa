// Pod streams end to end with the real node agent: a busybox and a python:3.11 container run by `dabba up`, reached by
// kubectl 1.27 (SPDY) and 1.33 (WebSocket), the Python client and client-node. Skips when this machine cannot run pods.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { exists, freePort, kubectlPath, repoRoot, run, TestCluster } from '../cluster.ts';

const python = '/usr/bin/python3';
const pod = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'streams' },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      { name: 'app', image: 'busybox', command: ['sh', '-c', 'echo started; i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done'] },
      { name: 'web', image: 'python:3.11', command: ['python3', '-m', 'http.server', '8080'] },
    ],
  },
});

function httpGet(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('pod streams with the real node agent', async () => {
  let c: TestCluster;
  /** Why the scenario cannot run here (no runtime, no agent); undefined when the pod runs. */
  let unavailable: string | undefined;
  const needPod = (t: TestContext) => {
    if (unavailable) t.skip(unavailable);
    return !unavailable;
  };

  before(async () => {
    c = await TestCluster.start();
    const created = await c.kubectl(33, ['apply', '-f', '-'], pod);
    assert.equal(created.code, 0, created.stderr);
    // Scheduling is quick when a node agent registered this machine; starting containers may take a while.
    const start = Date.now();
    let phase = '';
    while (Date.now() - start < 90_000) {
      const got = (await c.kubectl(33, ['get', 'pod', 'streams', '-o', 'jsonpath={.spec.nodeName}|{.status.phase}/{.status.containerStatuses[*].ready}'])).stdout;
      const [node, state] = got.split('|');
      phase = state ?? '';
      if (phase === 'Running/true true') break;
      if (!node && Date.now() - start > 20_000) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (phase !== 'Running/true true') {
      unavailable = `skipped: the node agent did not run the pod (status ${phase || 'none'}); see \`dabba doctor\``;
      return;
    }
    const probe = await c.kubectl(33, ['exec', 'streams', '-c', 'app', '--', 'true']);
    if (/error dialing backend/.test(probe.stderr)) unavailable = 'skipped: the node agent does not serve streams yet (no NodeProxy connected)';
  });
  after(async () => {
    await c?.destroy();
  });

  for (const v of [27, 33]) {
    it(`kubectl 1.${v} exec: output, exit code and stdin in a container`, async (t) => {
      if (!needPod(t)) return;
      const r = await c.kubectl(v, ['exec', 'streams', '-c', 'app', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, 'out\n');
      assert.match(r.stderr, /command terminated with exit code 3/);
      const typed = await c.kubectl(v, ['exec', '-i', 'streams', '-c', 'app', '--', 'cat'], 'typed\n');
      assert.equal(typed.stdout, 'typed\n', typed.stderr);
    });

    it(`kubectl 1.${v} logs (tail, follow) and cp`, async (t) => {
      if (!needPod(t)) return;
      const tail = await c.kubectl(v, ['logs', 'streams', '-c', 'app', '--tail=2']);
      assert.match(tail.stdout, /^(started|tick \d+)\ntick \d+\n$/);
      const f = spawn(kubectlPath(v), ['--kubeconfig', c.kubeconfig, 'logs', '-f', 'streams', '-c', 'app', '--tail=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let followed = '';
      f.stdout.on('data', (d) => (followed += d));
      const deadline = Date.now() + 10_000;
      while ((followed.match(/tick/g) ?? []).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      f.kill();
      assert.ok((followed.match(/tick/g) ?? []).length >= 3, followed);

      // --timestamps: the kubelet's RFC3339NanoFixed, with real digits below the millisecond; since-time filters on them.
      let stamped: string[] = [];
      for (const until = Date.now() + 15_000; stamped.length < 6 && Date.now() < until; await new Promise((r) => setTimeout(r, 300))) {
        stamped = (await c.kubectl(v, ['logs', 'streams', '-c', 'app', '--timestamps', '--tail=6'])).stdout.trim().split('\n');
      }
      const stamps = stamped.map((l) => l.split(' ')[0]);
      for (const s of stamps) assert.match(s, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      assert.ok(stamps.some((s) => !/000000Z$/.test(s)), `nanosecond digits, not milliseconds: ${stamps.join(' ')}`);
      const second = `${stamps[3].slice(0, 19)}Z`;
      const since = (await c.kubectl(v, ['logs', 'streams', '-c', 'app', '--timestamps', `--since-time=${second}`])).stdout.trim().split('\n');
      assert.ok(since.length >= 3, since.join('\n'));
      assert.ok(since.every((l) => l.slice(0, 19) >= second.slice(0, 19)), since.join('\n'));
      assert.ok(since.includes(stamped[5]), `${stamped[5]} in\n${since.join('\n')}`);
      const all = (await c.kubectl(v, ['logs', 'streams', '-c', 'app'])).stdout;
      assert.equal((await c.kubectl(v, ['logs', 'streams', '-c', 'app', '--since=1h'])).stdout.split('\n')[0], all.split('\n')[0]);

      const local = join(c.dataDir, `cp-${v}.bin`);
      const data = randomBytes(1024 * 1024);
      await writeFile(local, data);
      assert.equal((await c.kubectl(v, ['cp', local, 'streams:/tmp/cp.bin', '-c', 'app'])).code, 0);
      const back = `${local}.back`;
      const down = await c.kubectl(v, ['cp', 'streams:/tmp/cp.bin', back, '-c', 'app']);
      assert.equal(down.code, 0, down.stderr);
      assert.ok((await readFile(back)).equals(data));
      await rm(back);
    });

    it(`kubectl 1.${v} port-forward reaches python's http.server in the pod`, async (t) => {
      if (!needPod(t)) return;
      const local = await freePort();
      const pf = spawn(kubectlPath(v), ['--kubeconfig', c.kubeconfig, 'port-forward', 'pod/streams', `${local}:8080`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      pf.stdout.on('data', (d) => (out += d));
      try {
        const deadline = Date.now() + 15_000;
        while (!out.includes('Forwarding from 127.0.0.1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.equal(await httpGet(local), 200);
        assert.equal(await httpGet(local), 200);
      } finally {
        pf.kill();
      }
    });
  }

  const hasPy = (await exists(python)) && (await run(python, ['-c', 'import kubernetes'])).code === 0;
  it('the Python client and client-node exec in the container', async (t) => {
    if (!needPod(t)) return;
    if (hasPy) {
      const py = await run(python, [join(repoRoot, 'test/e2e/streams/python_exec.py'), c.kubeconfig, 'streams', 'default']);
      assert.equal(py.code, 0, `${py.stdout}\n${py.stderr}`);
    }
    const js = await run(process.execPath, [join(repoRoot, 'test/e2e/streams/client_node_exec.ts'), c.kubeconfig, 'streams', 'default']);
    assert.equal(js.code, 0, `${js.stdout}\n${js.stderr}`);
  });
});
