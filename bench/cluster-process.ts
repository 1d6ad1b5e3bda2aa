// Runs `node bin/dabba.js up` as a child process exactly as users do, times it to /readyz and stops it with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = resolve(import.meta.dirname, '..');
/** The node binary running the bench (npm puts the pinned node@24 first on PATH); every child uses the same one. */
export const nodeBin = process.execPath;
export const readyPollMs = 5;

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

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `dabba-bench-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** GET /readyz on a fresh connection (as a script would); 0 when nothing answers yet. */
export function readyz(port: number): Promise<number> {
  return new Promise((res) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', rejectUnauthorized: false, agent: false }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', () => res(0));
    req.setTimeout(5_000, () => req.destroy());
    req.end();
  });
}

export class ServerExitedError extends Error {
  readonly code = 'DABBA_BENCH_SERVER_EXITED';
}

export class ClusterProcess {
  readonly dataDir: string;
  readonly port: number;
  readonly extraArgs: readonly string[];
  readonly kubeconfig: string;
  #proc: ChildProcess | undefined;
  log = '';
  /** Time from spawn to the first 200 from /readyz, measured by the parent. */
  readyMs = Number.NaN;

  constructor(dataDir: string, port: number, extraArgs: readonly string[] = []) {
    this.dataDir = dataDir;
    this.port = port;
    this.extraArgs = extraArgs;
    this.kubeconfig = join(dataDir, 'kubeconfig');
  }

  get args(): string[] {
    return ['bin/dabba.js', 'up', '--data-dir', this.dataDir, '--port', String(this.port), ...this.extraArgs];
  }

  /** The command line, as a user would type it from the repository root. */
  get command(): string {
    return ['node', ...this.args].join(' ');
  }

  get pid(): number {
    const pid = this.#proc?.pid;
    if (pid === undefined) throw new Error('server not started');
    return pid;
  }

  /** The server's own figure from its "ready" log line: from when its CLI code starts, so without node boot and module loading. */
  get selfReportedMs(): number {
    const m = /"startupMs":(\d+)/.exec(this.log);
    return m ? Number(m[1]) : Number.NaN;
  }

  /** Spawns the server and polls /readyz every 5 ms until it answers 200. */
  async start(timeoutMs = 30_000): Promise<number> {
    const t0 = performance.now();
    const proc = spawn(nodeBin, this.args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#proc = proc;
    proc.stdout!.on('data', (d) => (this.log += d));
    proc.stderr!.on('data', (d) => (this.log += d));
    const deadline = t0 + timeoutMs;
    for (let next = t0; ; ) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new ServerExitedError(`${this.command} exited with ${proc.exitCode ?? proc.signalCode}:\n${this.log.slice(-3000)}`);
      }
      const code = await readyz(this.port);
      if (code === 200) {
        this.readyMs = performance.now() - t0;
        break;
      }
      if (performance.now() > deadline) {
        await this.stop();
        throw new Error(`${this.command} was not ready after ${timeoutMs} ms:\n${this.log.slice(-3000)}`);
      }
      next += readyPollMs;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      else next = performance.now();
    }
    return this.readyMs;
  }

  /** Sends SIGTERM and waits for the process to exit (SIGKILL after 15 s); returns the exit code or signal. */
  async stop(): Promise<string> {
    const p = this.#proc;
    if (!p) return 'not started';
    if (p.exitCode !== null || p.signalCode !== null) return String(p.exitCode ?? p.signalCode);
    const exited = new Promise<string>((r) => p.once('exit', (code, signal) => r(String(code ?? signal))));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    const how = await exited;
    clearTimeout(timer);
    return how;
  }
}

/** Starts a server on a fresh port; the caller owns dataDir. */
export async function startCluster(dataDir: string, extraArgs: readonly string[] = []): Promise<ClusterProcess> {
  const c = new ClusterProcess(dataDir, await freePort(), extraArgs);
  await c.start();
  return c;
}
