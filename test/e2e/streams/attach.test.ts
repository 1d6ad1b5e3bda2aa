// attach, stdin and terminals end to end on the real node agent, with kubectl 1.27 (SPDY) and 1.33 (WebSocket v5):
// `kubectl run -i --rm` with piped input, `kubectl attach` to a running container, `attach -i` to a container whose
// stdin stays open, and `run -it` / `exec -it` inside a terminal made by `script` (size and resizes reach the pod).
// Skips when this machine cannot run pods.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { exists, kubectlPath, run, TestCluster } from '../cluster.ts';
import { waitForSize } from '../../../src/node/runtime/runtime.conformance.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A long-running process whose output can be waited on. */
function watch(p: ChildProcessWithoutNullStreams) {
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((r) => p.on('close', (code) => r(code)));
  return {
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    exit,
    async until(pattern: RegExp, ms = 30_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!pattern.test(out)) {
        if (p.exitCode !== null) assert.fail(`exited (${p.exitCode}) before ${pattern}:\n${out}\n${err}`);
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${pattern}:\n${out}\n${err}`);
        await sleep(50);
      }
    },
  };
}

const pod = (name: string, container: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'busybox', ...container }] },
  });

describe('attach, stdin and terminals with the real node agent', async () => {
  const hasScript = await exists('/usr/bin/script');
  let c: TestCluster;
  let unavailable: string | undefined;
  const needPod = (t: TestContext) => {
    if (unavailable) t.skip(unavailable);
    return !unavailable;
  };
  const k = (v: number, args: string[], input?: string) => c.kubectl(v, args, input);
  const children: ChildProcessWithoutNullStreams[] = [];
  const track = (p: ChildProcessWithoutNullStreams) => (children.push(p), p);
  const spawnKubectl = (v: number, args: string[]) =>
    track(spawn(kubectlPath(v), ['--kubeconfig', c.kubeconfig, '--cache-dir', `${c.dataDir}/kcache-${v}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
  /** kubectl with a terminal of the given size on its stdin and stdout. */
  const kubectlInTerminal = (v: number, args: string[]) => {
    const line = [kubectlPath(v), '--kubeconfig', c.kubeconfig, '--cache-dir', `${c.dataDir}/kcache-${v}`, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
    return track(spawn('script', ['-qfec', `stty cols 100 rows 30; exec ${line}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/sh' } }));
  };
  const running = async (v: number, name: string) => {
    for (let i = 0; i < 300; i++) {
      const phase = (await k(v, ['get', 'pod', name, '-o', 'jsonpath={.status.phase}/{.status.containerStatuses[0].ready}'])).stdout;
      if (phase === 'Running/true') return;
      await sleep(100);
    }
    assert.fail(`pod ${name} did not become ready`);
  };

  before(async () => {
    c = await TestCluster.start();
    const r = await k(33, ['run', 'probe', '--image=busybox', '--restart=Never', '--', 'true']);
    assert.equal(r.code, 0, r.stderr);
    for (let i = 0; i < 150; i++) {
      const got = (await k(33, ['get', 'pod', 'probe', '-o', 'jsonpath={.spec.nodeName}|{.status.phase}'])).stdout;
      if (got.endsWith('|Succeeded')) return;
      if (i === 149) unavailable = `skipped: the node agent did not run a pod (${got || 'no status'}); see \`dabba doctor\``;
      await sleep(200);
    }
  });
  after(async () => {
    // A failed test may leave its kubectl running (script's child goes with it).
    for (const p of children) if (p.exitCode === null) p.kill('SIGKILL');
    await c?.destroy();
  });

  it('a container keeps its open stdin across a crash of dabba up, and the next agent attaches to it', async (t) => {
    if (!needPod(t)) return;
    const v = 33;
    const name = 'survivor';
    assert.equal((await k(v, ['apply', '-f', '-'], pod(name, { stdin: true, command: ['sh', '-c', 'while read x; do echo "line $x"; done; echo eof'] }))).code, 0);
    await running(v, name);
    const talk = async (word: string) => {
      const a = spawnKubectl(v, ['attach', '-i', name]);
      const w = watch(a);
      a.stdin.write(`${word}\n`);
      await w.until(new RegExp(`line ${word}\n`));
      a.stdin.end();
      assert.equal(await w.exit, 0, w.err);
    };
    await talk('before');
    // SIGKILL: nothing is shut down; the shim and the stdin it holds stay, and the next `dabba up` adopts them.
    const dabbaPids = async () =>
      (await run('ps', ['-eo', 'pid=,args='])).stdout
        .split('\n')
        .filter((l) => l.includes(`--data-dir ${c.dataDir}`) && !l.includes('ps -eo'))
        .map((l) => Number(l.trim().split(/\s+/)[0]));
    const dabba = await dabbaPids();
    assert.ok(dabba.length >= 1, 'found the dabba process');
    try {
      for (const pid of dabba) process.kill(pid, 'SIGKILL');
      for (let i = 0; (await dabbaPids()).length > 0 && i < 200; i++) await sleep(50);
    } finally {
      // Whatever happened, a running `dabba up` is what shuts the pods down and removes their host objects at the end.
      await c.up();
    }
    await running(v, name);
    await talk('after');
    const st = JSON.parse((await k(v, ['get', 'pod', name, '-o', 'json'])).stdout).status.containerStatuses[0];
    assert.equal(st.restartCount, 0);
    assert.equal((await k(v, ['logs', name])).stdout, 'line before\nline after\n');
    await k(v, ['delete', 'pod', name, '--wait=false']);
  });

  for (const v of [27, 33]) {
    it(`kubectl 1.${v} run -i --rm: piped input reaches the container, its output comes back, and the pod is deleted`, async (t) => {
      if (!needPod(t)) return;
      const name = `readone-${v}`;
      const r = await k(v, ['run', '-i', '--rm', '--restart=Never', name, '--image=busybox', '--', 'sh', '-c', 'read x; echo got $x'], 'hello\n');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^got hello\npod "readone-\d+" deleted/);
      const gone = await k(v, ['get', 'pod', name]);
      assert.match(gone.stderr, new RegExp(`pods "${name}" not found`));
    });

    it(`kubectl 1.${v} run -i: a non-zero exit comes back as kubectl's exit code, and stdin ends once the input does`, async (t) => {
      if (!needPod(t)) return;
      const name = `fails-${v}`;
      const r = await k(v, ['run', '-i', '--restart=Never', name, '--image=busybox', '--', 'sh', '-c', 'cat; echo done; exit 3'], 'one\ntwo\n');
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, 'one\ntwo\ndone\n');
      assert.match(r.stderr, new RegExp(`pod default/${name} terminated \\(Error\\)`));
      await k(v, ['delete', 'pod', name, '--wait=false']);
    });

    it(`kubectl 1.${v} attach prints what a running container writes`, async (t) => {
      if (!needPod(t)) return;
      const name = `ticker-${v}`;
      assert.equal((await k(v, ['apply', '-f', '-'], pod(name, { command: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done'] }))).code, 0);
      await running(v, name);
      const a = watch(spawnKubectl(v, ['attach', name]));
      await a.until(/tick \d+\ntick \d+\n/);
      a.exit.catch(() => {});
      await k(v, ['delete', 'pod', name, '--wait=false']);
      assert.equal(await a.exit, 0, a.err);
    });

    it(`kubectl 1.${v} attach -i: a container's open stdin takes input from one client after another`, async (t) => {
      if (!needPod(t)) return;
      const name = `reader-${v}`;
      assert.equal((await k(v, ['apply', '-f', '-'], pod(name, { stdin: true, command: ['sh', '-c', 'while read x; do echo "line $x"; done; echo eof'] }))).code, 0);
      await running(v, name);
      for (const word of ['first', 'second']) {
        const a = spawnKubectl(v, ['attach', '-i', name]);
        const w = watch(a);
        a.stdin.write(`${word}\n`);
        await w.until(new RegExp(`line ${word}\n`));
        // The end of this client's input ends its attach; the container's stdin stays open for the next one.
        a.stdin.end();
        assert.equal(await w.exit, 0, w.err);
      }
      assert.equal((await k(v, ['get', 'pod', name, '-o', 'jsonpath={.status.phase}'])).stdout, 'Running');
      const logs = await k(v, ['logs', name]);
      assert.equal(logs.stdout, 'line first\nline second\n');
      await k(v, ['delete', 'pod', name, '--wait=false']);
    });

    it(`kubectl 1.${v} run -it --rm in a terminal: the pod's terminal has the client's size and follows its resizes`, { skip: hasScript ? false : 'skipped: script (util-linux) is not installed' }, async (t) => {
      if (!needPod(t)) return;
      const name = `term-${v}`;
      const p = kubectlInTerminal(v, ['run', '-it', '--rm', '--restart=Never', name, '--image=busybox', '--', 'sh', '-c', 'while read x; do echo "size $(stty size) [$x]"; done; echo bye']);
      const w = watch(p);
      await w.until(/If you don't see a command prompt, try pressing enter/, 60_000);
      // The first resize may land after the first line was read: ask until the size shows.
      for (let i = 0; !/size 30 100 \[/.test(w.out); i++) {
        assert.ok(i < 50, `the pod's terminal never got the client's size:\n${w.out}`);
        p.stdin.write(`line${i}\r`);
        await w.until(new RegExp(`\\[line${i}\\]`));
      }
      // The client's terminal changes size (SIGWINCH to kubectl): the pod's follows.
      const kubectlPid = (await readFile(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8')).trim().split(/\s+/)[0];
      assert.equal((await run('stty', ['-F', `/proc/${kubectlPid}/fd/0`, 'rows', '40', 'cols', '120'])).code, 0);
      for (let i = 0; !/size 40 120 \[/.test(w.out); i++) {
        assert.ok(i < 50, `the pod's terminal did not follow the client's resize:\n${w.out}`);
        p.stdin.write(`again${i}\r`);
        await w.until(new RegExp(`\\[again${i}\\]`));
      }
      // ^D at the start of a line: the terminal's end of file ends the loop and so the container.
      p.stdin.write('\x04');
      await w.until(/bye/);
      p.stdin.end();
      assert.equal(await w.exit, 0, `${w.out}\n${w.err}`);
      assert.match(w.out, new RegExp(`pod "${name}" deleted`));
    });

    it(`kubectl 1.${v} exec -it: a terminal of the client's size`, { skip: hasScript ? false : 'skipped: script (util-linux) is not installed' }, async (t) => {
      if (!needPod(t)) return;
      const name = `shell-${v}`;
      assert.equal((await k(v, ['apply', '-f', '-'], pod(name, { command: ['sleep', '3600'] }))).code, 0);
      await running(v, name);
      const p = kubectlInTerminal(v, ['exec', '-it', name, '--', 'sh', '-c', `${waitForSize} stty size; tty; echo "TERM=$TERM"`]);
      const w = watch(p);
      await w.until(/TERM=/);
      p.stdin.end();
      assert.equal(await w.exit, 0, `${w.out}\n${w.err}`);
      // The container's own pty (in its devpts), of the client's size (crun sizes it a moment after the start).
      assert.match(w.out, /^30 100\r\n\/dev\/pts\/\d+\r\nTERM=xterm\r\n/);
      await k(v, ['delete', 'pod', name, '--wait=false']);
    });
  }
});
