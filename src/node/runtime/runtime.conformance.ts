// The behaviour every ContainerRuntime must show, as one node:test suite run against the isolated and the host runtime.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runHostCommand } from '../network/host-command.ts';
import { instanceNames } from '../network/instance-names.ts';
import { routeDevice } from '../network/routes.ts';
import { ImageStore } from '../images/image-store.ts';
import type { ContainerConfig, ContainerRuntime, ImageSpec, PodSandbox, SecuritySettings } from './runtime.ts';

/** Shell lines that wait up to a second for the terminal to have a size (not 0 0). */
export const waitForSize = 'i=0; while [ "$(stty size)" = "0 0" ] && [ $i -lt 50 ]; do sleep 0.02; i=$((i+1)); done;';

export interface ConformanceTarget {
  name: string;
  /** A reason to skip the whole suite (missing root, packages…). */
  skip?: string;
  create(dataDir: string): ContainerRuntime & { release?(): Promise<void> };
  features: {
    /** Volumes appear at their container paths (false: the host runtime rewrites paths to host paths). */
    mounts: boolean;
    readOnlyRoot: boolean;
    memoryLimits: boolean;
    runAsUser: boolean;
    /** Each pod has its own network namespace, routed through the instance's bridge. */
    podNetwork: boolean;
  };
}

const SERVER = `
const http = require('http');
const host = process.env.POD_IP && process.env.BIND_POD_IP ? process.env.POD_IP : '0.0.0.0';
http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ hello: 'world', argv: process.argv.slice(2), cwd: process.cwd(), greeting: process.env.GREETING, hostname: require('os').hostname() }));
}).listen(Number(process.env.PORT), host, () => console.log('listening on ' + host));
process.on('SIGTERM', () => { console.log('got SIGTERM'); setTimeout(() => process.exit(0), 200); });
`;

const security = (s: Partial<SecuritySettings> = {}): SecuritySettings => ({
  supplementalGroups: [],
  readOnlyRootFilesystem: false,
  allowPrivilegeEscalation: true,
  privileged: false,
  capabilitiesAdd: [],
  capabilitiesDrop: [],
  ...s,
});

/** Host objects that carry the instance prefix or live under the data directory. */
export async function leftovers(dataDir: string): Promise<string[]> {
  const { prefix } = instanceNames(dataDir);
  const found: string[] = [];
  const out = async (cmd: string, args: string[]) => (await runHostCommand(cmd, args).catch(() => ({ stdout: '' }))).stdout;
  for (const l of (await out('ip', ['netns', 'list'])).split('\n')) if (l.includes(prefix)) found.push(`netns ${l.trim()}`);
  for (const l of (await out('ip', ['-o', 'link', 'show'])).split('\n')) if (l.includes(prefix)) found.push(`link ${l.split(':')[1]?.trim()}`);
  for (const l of (await out('nft', ['list', 'tables'])).split('\n')) if (l.includes(prefix)) found.push(`nft ${l.trim()}`);
  for (const l of (await out('ip', ['route', 'show'])).split('\n')) if (l.includes(prefix)) found.push(`route ${l.trim()}`);
  for (const l of (await out('findmnt', ['-rn', '-o', 'TARGET'])).split('\n')) if (l.includes(prefix) || l.includes(dataDir)) found.push(`mount ${l}`);
  for (const ctrl of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
    if (existsSync(join('/sys/fs/cgroup', ctrl, prefix))) found.push(`cgroup ${ctrl}/${prefix}`);
  }
  if (existsSync(join('/sys/fs/cgroup', prefix))) found.push(`cgroup ${prefix}`);
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(dataDir)) found.push(`process ${pid} ${cmd.replaceAll('\0', ' ').slice(0, 120)}`);
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function collect(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return '';
  let s = '';
  for await (const chunk of stream) s += chunk.toString();
  return s;
}

/** Everything a stream says, as it comes; `until` waits for a pattern (or the end). */
function tap(stream: NodeJS.ReadableStream | undefined) {
  let text = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
    waiters.clear();
  };
  stream?.on('data', (c: Buffer) => {
    text += c.toString();
    wake();
  });
  stream?.on('end', () => {
    ended = true;
    wake();
  });
  return {
    get text() {
      return text;
    },
    async until(pattern: RegExp, what = String(pattern), ms = 15_000): Promise<string> {
      const deadline = Date.now() + ms;
      while (!pattern.test(text)) {
        if (ended) assert.fail(`the stream ended before ${what}: ${JSON.stringify(text)}`);
        const left = deadline - Date.now();
        if (left <= 0) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(text)}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.add(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return text;
    },
  };
}

export function runtimeConformance(target: ConformanceTarget): void {
  // A behaviour a runtime does not claim (the host runtime has no netns or private root) is not part of its suite.
  const itWhen = (claimed: boolean) => (claimed ? it : (() => undefined) as unknown as typeof it);
  describe(`ContainerRuntime conformance: ${target.name}`, { skip: target.skip, timeout: 180_000 }, () => {
    let dataDir: string;
    let appDir: string;
    let rt: ContainerRuntime & { release?(): Promise<void> };
    let nodeImage: ImageSpec;
    let shImage: ImageSpec;
    let logDir: string;

    const sandbox = (name: string) =>
      rt.runPodSandbox({
        podUid: randomUUID(),
        name,
        namespace: 'conformance',
        hostname: name,
        hostNetwork: false,
        portMappings: [],
        etcFiles: { hosts: '127.0.0.1\tlocalhost\n', resolvConf: 'nameserver 127.0.0.1\n' },
        qosClass: 'BestEffort',
      });

    const config = (name: string, image: ImageSpec, argv: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
      name,
      image,
      argv,
      env: [],
      workingDir: '',
      mounts: [],
      resources: { cpuShares: 2, cpuPeriodUs: 100_000, oomScoreAdj: 1000 },
      security: security(),
      tty: false,
      stdin: false,
      stdinOnce: false,
      logPath: join(logDir, `${name}-${randomUUID().slice(0, 8)}.log`),
      ...extra,
    });

    const run = async (sb: PodSandbox, c: ContainerConfig) => {
      const id = await rt.createContainer(sb, c);
      await rt.startContainer(id);
      return id;
    };

    const exited = (id: string, ms = 15_000) =>
      until(`container ${id} to exit`, async () => {
        const s = await rt.containerStatus(id);
        return s.state === 'exited' ? s : undefined;
      }, ms);

    const execOut = async (id: string, argv: string[], tty = false) => {
      const s = await rt.exec(id, argv, { stdin: false, tty });
      const [stdout, stderr, code] = await Promise.all([collect(s.stdout), collect(s.stderr), s.exit]);
      return { stdout, stderr, code };
    };

    let web: { sb: PodSandbox; id: string; log: string };
    // The host runtime shares the host's ports: a port of its own keeps the suite clear of other servers on the machine.
    let port: number;

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'dabba-conformance-'));
      appDir = join(dataDir, 'app');
      logDir = join(dataDir, 'logs');
      await mkdir(appDir, { recursive: true });
      await writeFile(join(appDir, 'server.cjs'), SERVER);
      port = await freePort();
      rt = target.create(dataDir);
      await rt.init();
      const images = new ImageStore({ dataDir });
      nodeImage = await images.resolve('node:24', 'IfNotPresent');
      shImage = await images.resolve('busybox', 'IfNotPresent');
    });

    after(async () => {
      await rt.shutdown().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    });

    it('gives each sandbox its own address', async () => {
      const a = await sandbox('addr-a');
      const b = await sandbox('addr-b');
      assert.match(a.ip, /^\d+\.\d+\.\d+\.\d+$/);
      assert.notEqual(a.ip, b.ip);
      const { sandboxes } = await rt.list();
      assert.deepEqual(sandboxes.map((s) => s.id).filter((id) => id === a.id || id === b.id).sort(), [a.id, b.id].sort());
      await rt.removePodSandbox(b.id);
      assert.ok(!(await rt.list()).sandboxes.some((s) => s.id === b.id));
      await rt.removePodSandbox(a.id);
    });

    it('runs a container that answers HTTP on the pod IP with its args, env and workingDir', async () => {
      const sb = await sandbox('web-1');
      const c = config('web', nodeImage, ['node', 'server.cjs', 'one', 'two'], {
        workingDir: '/app',
        env: [['GREETING', 'hello'], ['BIND_POD_IP', target.features.podNetwork ? '' : '1'], ['PORT', String(port)]],
        mounts: [{ containerPath: '/app', hostPath: appDir, readOnly: true }],
      });
      const id = await run(sb, c);
      web = { sb, id, log: c.logPath };
      const body = await until('the server to answer', async () => {
        const r = await fetch(`http://${sb.ip}:${port}/`);
        return (await r.json()) as { argv: string[]; cwd: string; greeting: string; hostname: string };
      });
      assert.deepEqual(body.argv, ['one', 'two']);
      assert.equal(body.greeting, 'hello');
      assert.equal(body.cwd, target.features.mounts ? '/app' : appDir);
      if (target.features.podNetwork) assert.equal(body.hostname, 'web-1');
      const st = await rt.containerStatus(id);
      assert.equal(st.state, 'running');
      assert.ok(st.startedAt);
    });

    itWhen(target.features.podNetwork)('routes pod addresses through the bridge, never the default route', async () => {
      const r = await routeDevice(web.sb.ip);
      const bridge = instanceNames(dataDir).bridge;
      assert.equal(r.dev, bridge);
      assert.equal(r.gateway, undefined);
      // An address of the pod range that no pod has (addresses are handed out from the bottom of the node's /24).
      const unused = await routeDevice(web.sb.ip.replace(/\.\d+$/, '.254'));
      assert.equal(unused.dev, bridge);
      assert.equal(unused.gateway, undefined);
    });

    itWhen(target.features.podNetwork)('publishes a hostPort on the host loopback, and takes it back with the sandbox', async () => {
      const hostPort = await freePort();
      const sb = await rt.runPodSandbox({
        podUid: randomUUID(),
        name: 'hostport',
        namespace: 'conformance',
        hostname: 'hostport',
        hostNetwork: false,
        portMappings: [{ containerPort: port, hostPort, protocol: 'TCP' }],
        etcFiles: { hosts: '', resolvConf: '' },
        qosClass: 'BestEffort',
      });
      await run(sb, config('hp', nodeImage, ['node', '/app/server.cjs'], { env: [['PORT', String(port)]], mounts: [{ containerPath: '/app', hostPath: appDir, readOnly: true }] }));
      const body = await until('the hostPort to answer', async () => (await fetch(`http://127.0.0.1:${hostPort}/`)).json());
      assert.deepEqual((body as { hello: string }).hello, 'world');
      await rt.removePodSandbox(sb.id);
      const rules = await runHostCommand('nft', ['list', 'chain', 'ip', 'nat', 'CNI-HOSTPORT-DNAT']).catch(() => ({ stdout: '' }));
      assert.ok(!rules.stdout.includes(sb.id), 'the hostPort rules are gone');
    });

    it('forwards a port into the pod', async () => {
      const sock = await rt.portForward(web.sb.id, port);
      sock.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      const text = await collect(sock);
      assert.match(text, /^HTTP\/1\.1 200/);
      assert.match(text, /"hello":"world"/);
    });

    it('execs a command and returns its output and exit code', async () => {
      const r = await execOut(web.id, ['sh', '-c', 'echo out-$GREETING; echo err >&2; exit 3']);
      assert.equal(r.stdout, 'out-hello\n');
      assert.equal(r.stderr, 'err\n');
      assert.equal(r.code, 3);
    });

    it('execs with a terminal that follows resizes', async () => {
      const s = await rt.exec(web.id, ['sh', '-c', 'test -t 0 && test -t 1 && echo is-a-tty; sleep 1; stty size'], { stdin: true, tty: true });
      const out = collect(s.stdout);
      await new Promise((r) => setTimeout(r, 400));
      s.resize(120, 40);
      s.stdin?.end();
      const [text, code] = await Promise.all([out, s.exit]);
      assert.match(text, /is-a-tty/);
      assert.match(text, /40 120/);
      assert.equal(code, 0);
    });

    const logged = (path: string, pattern: RegExp) =>
      until(`${pattern} in the log`, async () => ((await readFile(path, 'utf8').catch(() => '')).match(pattern) ? true : undefined));

    it('attaches to a stdinOnce container: its input arrives, its output streams back, and its stdin ends with the client', async () => {
      const sb = await sandbox('attach-once');
      const c = config('once', shImage, ['sh', '-c', 'echo ready; read x; echo "got $x"; cat; echo after-eof >&2'], { stdin: true, stdinOnce: true });
      const id = await run(sb, c);
      await logged(c.logPath, /stdout F ready/);
      const s = await rt.attach(id, { stdin: true, tty: false });
      const [out, err] = [tap(s.stdout), tap(s.stderr)];
      s.stdin!.write('hello\n');
      await out.until(/got hello\n/);
      s.stdin!.end('more\n');
      assert.equal(await s.exit, 0);
      // Only what came after the attach, and nothing lost once stdin closed: cat saw its end of file.
      assert.equal(out.text, 'got hello\nmore\n');
      assert.equal(err.text, 'after-eof\n');
      const st = await exited(id);
      assert.equal(st.exitCode, 0);
      await assert.rejects(rt.attach(id, { stdin: true, tty: false }));
      await rt.removePodSandbox(sb.id);
    });

    it('keeps the stdin of a container without stdinOnce open across attaches, also for a successor after the agent went away', async () => {
      const sb = await sandbox('attach-many');
      const c = config('many', shImage, ['sh', '-c', 'while read x; do echo "line $x"; done; echo eof'], { stdin: true });
      const id = await run(sb, c);
      const watcher = await rt.attach(id, { stdin: false, tty: false });
      const watched = tap(watcher.stdout);
      const first = await rt.attach(id, { stdin: true, tty: false });
      const firstOut = tap(first.stdout);
      first.stdin!.write('a\n');
      await firstOut.until(/line a\n/);
      // The client's end of input ends its attach (the container's stdin stays open).
      first.stdin!.end();
      assert.equal(await first.exit, 0);
      await watched.until(/line a\n/);
      const second = await rt.attach(id, { stdin: true, tty: false });
      second.stdin!.write('b\n');
      await tap(second.stdout).until(/line b\n/);
      second.kill();
      assert.equal(await second.exit, 0);
      await watched.until(/line b\n/);
      watcher.kill();
      assert.equal((await rt.containerStatus(id)).state, 'running');
      if (rt.release) {
        await rt.release();
        const successor = target.create(dataDir);
        await successor.init();
        rt = successor;
        const third = await rt.attach(id, { stdin: true, tty: false });
        third.stdin!.write('c\n');
        await tap(third.stdout).until(/line c\n/);
        third.kill();
      }
      assert.equal((await rt.containerStatus(id)).state, 'running');
      await logged(c.logPath, /stdout F line a\n.*stdout F line b\n/s);
      await rt.removePodSandbox(sb.id);
    });

    it('gives a tty container a terminal: input echoed, output on stdout, resizes seen, a CRLF-free log', async () => {
      const sb = await sandbox('attach-tty');
      const c = config('tty', shImage, ['sh', '-c', 'test -t 0 && test -t 1 && test -t 2 && echo is-a-tty; while read x; do echo "size $(stty size) $x" >&2; done'], {
        stdin: true,
        stdinOnce: true,
        tty: true,
      });
      const id = await run(sb, c);
      await logged(c.logPath, /stdout F is-a-tty\n/);
      const s = await rt.attach(id, { stdin: true, tty: true });
      assert.equal(s.stderr, undefined);
      const out = tap(s.stdout);
      s.resize(100, 30);
      for (let i = 0; !/size 30 100/.test(out.text); i++) {
        s.stdin!.write(`${i}\n`);
        // Before the resize lands the terminal may have no size at all (stty then fails).
        await out.until(new RegExp(`size [^\\r\\n]*${i}\\r\\n`));
      }
      assert.match(out.text, /^0\r\n/, 'the terminal echoes input');
      // With a terminal, the end of the client's input ends the attach but leaves the container's stdin open.
      s.stdin!.end();
      assert.equal(await s.exit, 0);
      assert.equal((await rt.containerStatus(id)).state, 'running');
      const again = await rt.attach(id, { stdin: true, tty: true });
      again.stdin!.write('x\n');
      await tap(again.stdout).until(/size 30 100 x\r\n/);
      again.kill();
      await logged(c.logPath, /stdout F size 30 100 x\n/);
      await rt.removePodSandbox(sb.id);
    });

    it("execs with a terminal that takes the client's size", async () => {
      // crun sizes the pty it relays a moment after the process starts: a command that asks at once may see 0 0, so the
      // shell waits (up to a second) for a size before it answers.
      const s = await rt.exec(web.id, ['sh', '-c', `${waitForSize} stty size; tty; echo "TERM=$TERM"`], { stdin: true, tty: true, terminalSize: Promise.resolve({ width: 90, height: 20 }) });
      const out = tap(s.stdout);
      assert.equal(await s.exit, 0);
      await out.until(/TERM=/);
      assert.match(out.text, /^20 90\r\n\/dev\/pts\/\d+\r\nTERM=xterm\r\n/);
    });

    it('reports CPU and memory from the container', async () => {
      const s = await rt.stats(web.id);
      assert.ok(s, 'stats');
      assert.ok(s.memoryWorkingSetBytes > 1024 * 1024, `working set ${s.memoryWorkingSetBytes}`);
      assert.ok(s.cpuUsageNanos > 0);
    });

    it('stops a container with SIGTERM within its grace period', async () => {
      await rt.stopContainer(web.id, 10);
      // Exit code 0 and the handler's line: SIGTERM ended it, not the SIGKILL at the end of the grace period (137).
      const st = await rt.containerStatus(web.id);
      assert.equal(st.state, 'exited');
      assert.equal(st.exitCode, 0);
      assert.equal(st.reason, 'Completed');
      const log = await until('the log to be complete', async () => {
        const l = await readFile(web.log, 'utf8');
        return l.includes('got SIGTERM') ? l : undefined;
      });
      assert.match(log, /stdout F listening on/);
    });

    it('kills a container that ignores SIGTERM once the grace period is over', async () => {
      const sb = await sandbox('stubborn');
      const c = config('stubborn', shImage, ['sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 0.1; done']);
      const id = await run(sb, c);
      await until('the container to trap SIGTERM', async () => ((await readFile(c.logPath, 'utf8').catch(() => '')).includes('ready') ? true : undefined));
      const t = Date.now();
      await rt.stopContainer(id, 1);
      const took = Date.now() - t;
      // It waited out the grace period before the SIGKILL (137).
      assert.ok(took >= 950, `stop took ${took} ms`);
      const st = await rt.containerStatus(id);
      assert.equal(st.exitCode, 137);
      assert.equal(st.reason, 'Error');
      await rt.removePodSandbox(sb.id);
    });

    it('writes stdout and stderr to the log in the CRI format', async () => {
      const sb = await sandbox('logger');
      const c = config('logger', shImage, ['sh', '-c', 'echo out1; echo err1 >&2; echo out2; printf partial']);
      const id = await run(sb, c);
      await exited(id);
      const lines = await until('four log lines', async () => {
        const l = (await readFile(c.logPath, 'utf8')).split('\n').filter(Boolean);
        return l.length >= 4 ? l : undefined;
      });
      // Go's RFC3339Nano, as containerd writes it: the fraction has up to nine digits, trailing zeros dropped.
      for (const l of lines) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?Z (stdout|stderr) [FP] /);
      const records = lines.map((l) => l.split(' ').slice(1).join(' '));
      assert.deepEqual(records.filter((r) => r.startsWith('stdout')), ['stdout F out1', 'stdout F out2', 'stdout P partial']);
      assert.deepEqual(records.filter((r) => r.startsWith('stderr')), ['stderr F err1']);
      await rt.removePodSandbox(sb.id);
    });

    it('reports exit codes with the kubelet reasons', async () => {
      const sb = await sandbox('exits');
      const failed = await run(sb, config('fails', shImage, ['sh', '-c', 'exit 3']));
      const ok = await run(sb, config('succeeds', shImage, ['true']));
      const f = await exited(failed);
      const o = await exited(ok);
      assert.equal(f.exitCode, 3);
      assert.equal(f.reason, 'Error');
      assert.equal(o.exitCode, 0);
      assert.equal(o.reason, 'Completed');
      assert.ok(f.finishedAt && f.startedAt);
      const bad = await rt.createContainer(sb, config('bad', shImage, ['no-such-command-dabba']));
      await assert.rejects(rt.startContainer(bad), (e: Error & { code?: string }) => e.code === 'NODE_ERR_CONTAINER_START');
      const b = await rt.containerStatus(bad);
      assert.equal(b.state, 'exited');
      assert.equal(b.reason, 'StartError');
      assert.equal(b.exitCode, 128);
      await rt.removePodSandbox(sb.id);
    });

    itWhen(target.features.readOnlyRoot)('refuses writes to a read-only root filesystem, and keeps a writable one off the host', async () => {
      const sb = await sandbox('rofs');
      const ro = await run(sb, config('ro', shImage, ['sleep', '60'], { security: security({ readOnlyRootFilesystem: true }) }));
      const r = await execOut(ro, ['sh', '-c', 'touch /etc/dabba-probe 2>&1; echo rc=$?']);
      assert.match(r.stdout, /Read-only file system/);
      assert.match(r.stdout, /rc=1/);
      const probe = `/etc/dabba-probe-${randomUUID().slice(0, 8)}`;
      const rw = await run(sb, config('rw', shImage, ['sleep', '60']));
      const w = await execOut(rw, ['sh', '-c', `echo x > ${probe} && cat ${probe}`]);
      assert.equal(w.stdout, 'x\n');
      assert.equal(existsSync(probe), false, 'the write must not reach the host');
      await rt.removePodSandbox(sb.id);
    });

    itWhen(target.features.runAsUser)('applies runAsUser, no_new_privs and leaves a non-root user no effective capabilities', async () => {
      const sb = await sandbox('user');
      const id = await run(sb, config('user', shImage, ['sleep', '60'], { security: security({ runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], allowPrivilegeEscalation: false }) }));
      // The image's command must be reachable for the non-root user too (not only the exec's shell).
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await rt.containerStatus(id)).state, 'running', JSON.stringify(await rt.containerStatus(id)));
      const r = await execOut(id, ['sh', '-c', 'id -u; id -g; id -G; grep -E "^(CapEff|NoNewPrivs)" /proc/self/status']);
      const [uid, gid, groups] = r.stdout.split('\n');
      assert.equal(uid, '1000');
      assert.equal(gid, '3000');
      assert.match(groups, /\b4000\b/);
      assert.match(r.stdout, /CapEff:\s+0000000000000000/);
      assert.match(r.stdout, /NoNewPrivs:\s+1/);
      await rt.removePodSandbox(sb.id);
    });

    itWhen(target.features.memoryLimits)('kills a container over its memory limit with OOMKilled', async () => {
      const sb = await sandbox('oom');
      const id = await run(sb, config('oom', nodeImage, ['node', '-e', 'const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));'], {
        resources: { cpuShares: 2, cpuPeriodUs: 100_000, memoryLimitBytes: 64 * 1024 * 1024, oomScoreAdj: 1000 },
      }));
      const st = await exited(id, 30_000);
      assert.equal(st.reason, 'OOMKilled');
      assert.equal(st.exitCode, 137);
      await rt.removePodSandbox(sb.id);
    });

    it('lists what exists, and a successor re-adopts running containers after the agent goes away', async () => {
      const sb = await sandbox('adopt');
      const c = config('adopt', shImage, ['sh', '-c', 'echo first; sleep 1; echo second; sleep 60']);
      const id = await run(sb, c);
      const { sandboxes, containers } = await rt.list();
      assert.ok(sandboxes.some((s) => s.id === sb.id && s.ip === sb.ip));
      const listed = containers.find((x) => x.id === id);
      assert.equal(listed?.state, 'running');
      assert.equal(listed?.sandboxId, sb.id);
      if (!rt.release) return;
      await rt.release();
      const successor = target.create(dataDir);
      await successor.init();
      rt = successor;
      const again = await rt.list();
      assert.ok(again.sandboxes.some((s) => s.id === sb.id && s.ip === sb.ip));
      assert.equal(again.containers.find((x) => x.id === id)?.state, 'running');
      const log = await until('output written after the restart', async () => {
        const l = await readFile(c.logPath, 'utf8');
        return l.includes('second') ? l : undefined;
      });
      assert.match(log, /stdout F first\n.*stdout F second\n/s);
      const r = await execOut(id, ['sh', '-c', 'echo still-here']);
      assert.equal(r.stdout, 'still-here\n');
    });

    it('leaves nothing with its prefix behind after shutdown', async () => {
      const sb = await sandbox('last');
      await run(sb, config('last', shImage, ['sleep', '60']));
      assert.notDeepEqual(await leftovers(dataDir), [], 'a running pod is visible to the leftover check');
      await rt.shutdown();
      assert.deepEqual(await leftovers(dataDir), []);
    });
  });
}
