// Starts a real `dabba up` on a temp data dir and a free port for end-to-end tests, and runs real clients against it.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { request } from 'node:https';
import { leaseNetworkRanges, type NetworkRanges } from './network-ranges.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');
const nodeBin = process.execPath;

export const kubectlPath = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class TestCluster {
  readonly dataDir: string;
  readonly port: number;
  readonly kubeconfig: string;
  #proc: ChildProcess | undefined;
  #owned: boolean;
  #ranges: NetworkRanges | undefined;
  /** The pod and Service ranges this cluster was started with (upstream's defaults unless the harness leased its own). */
  podCIDR = '10.244.0.0/16';
  serviceCIDR = '10.96.0.0/16';
  #args: string[] = [];
  log = '';

  /** The exit code of the last `dabba up`, once it exited. */
  get exitCode(): number | null {
    return this.#proc?.exitCode ?? null;
  }

  private constructor(dataDir: string, port: number, owned: boolean) {
    this.dataDir = dataDir;
    this.port = port;
    this.kubeconfig = join(dataDir, 'kubeconfig');
    this.#owned = owned;
  }

  env: NodeJS.ProcessEnv = {};

  /**
   * Starts `dabba up` on a fresh data dir. Unless the arguments choose ranges, the cluster gets its own pod and
   * Service ranges, so clusters of test files running in parallel can each run isolated pods.
   */
  static async start(extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<TestCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'dabba-e2e-'));
    const c = new TestCluster(dir, await freePort(), true);
    c.env = env;
    if (!extraArgs.includes('--pod-cidr') && !extraArgs.includes('--service-cidr')) {
      c.#ranges = await leaseNetworkRanges();
      extraArgs = [...extraArgs, '--pod-cidr', c.#ranges.podCIDR, '--service-cidr', c.#ranges.serviceCIDR];
    }
    c.#args = extraArgs;
    const flag = (name: string) => (extraArgs.includes(name) ? extraArgs[extraArgs.indexOf(name) + 1] : undefined);
    c.podCIDR = flag('--pod-cidr') ?? c.podCIDR;
    c.serviceCIDR = flag('--service-cidr') ?? c.serviceCIDR;
    try {
      await c.up(extraArgs);
    } catch (e) {
      await c.destroy();
      throw e;
    }
    return c;
  }

  /** Starts `dabba up` again on this data dir; with no arguments, those of the first start (the same ranges). */
  async up(extraArgs: string[] = this.#args): Promise<void> {
    const proc = spawn(nodeBin, [join(repoRoot, 'bin/dabba.js'), 'up', '--data-dir', this.dataDir, '--port', String(this.port), ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.env },
    });
    this.#proc = proc;
    proc.stdout!.on('data', (d) => (this.log += d));
    proc.stderr!.on('data', (d) => (this.log += d));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`dabba up exited with ${proc.exitCode}:\n${this.log}`);
      if ((await this.readyz()) === 200) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`dabba up did not become ready:\n${this.log}`);
  }

  readyz(): Promise<number> {
    return new Promise((res) => {
      const req = request({ host: '127.0.0.1', port: this.port, path: '/readyz', rejectUnauthorized: false }, (r) => {
        r.resume();
        res(r.statusCode ?? 0);
      });
      req.on('error', () => res(0));
      req.end();
    });
  }

  /** Sends SIGTERM and waits for a clean exit; returns the exit code. */
  async stop(): Promise<number | null> {
    const p = this.#proc;
    if (!p || p.exitCode !== null) return p?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  /** Sends SIGKILL, so nothing is shut down (as in a crash), and waits for the exit. */
  async kill(): Promise<void> {
    const p = this.#proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    if (this.#owned) await rm(this.dataDir, { recursive: true, force: true });
    await this.#ranges?.release();
    this.#ranges = undefined;
  }

  /** Runs a kubectl binary against this cluster with its own discovery cache. */
  kubectl(minor: number, args: string[], input?: string): Promise<RunResult> {
    return run(kubectlPath(minor), ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.dataDir, `kcache-${minor}`), ...args], input);
  }
}

export function run(cmd: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((res) => {
    const p = execFile(cmd, args, { maxBuffer: 32 * 1024 * 1024, timeout: 60_000, env: env ?? process.env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      res({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (input !== undefined) p.stdin!.end(input);
  });
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

/** A raw HTTPS request to the cluster, authenticated with the kubeconfig's client certificate unless `anonymous`. */
export async function api(
  c: TestCluster,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; anonymous?: boolean } = {},
): Promise<HttpReply> {
  const { readFile } = await import('node:fs/promises');
  const { parse } = await import('yaml');
  const kc = parse(await readFile(c.kubeconfig, 'utf8'));
  const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  const user = kc.users[0].user;
  const data = opts.body === undefined ? undefined : typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
  return new Promise((res, rej) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: c.port,
        method,
        path,
        ca: b64(kc.clusters[0].cluster['certificate-authority-data']),
        ...(opts.anonymous ? {} : { cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) }),
        headers: { Accept: 'application/json', ...(data ? { 'Content-Type': 'application/json' } : {}), ...opts.headers },
      },
      (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (d) => (body += d));
        r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body, json: () => JSON.parse(body) }));
      },
    );
    req.on('error', rej);
    req.end(data);
  });
}

/**
 * Polls `f` every 250 ms until it returns something truthy, and returns that; an error thrown by `f` counts as not yet.
 * Fails after `ms`, naming `what`, the last error and the end of the cluster's log.
 */
export async function waitUntil<T>(c: TestCluster | undefined, what: string, f: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\n${c?.log.slice(-4000) ?? ''}`);
}
