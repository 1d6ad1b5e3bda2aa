// Runs Debian's /usr/bin/etcd on loopback with a temp data dir, as the datastore for the side-by-side etcd figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, removeDir, tempDir } from './cluster-process.ts';

export const etcdBin = '/usr/bin/etcd';

export async function etcdAvailable(): Promise<boolean> {
  try {
    await access(etcdBin, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function health(port: number): Promise<boolean> {
  return new Promise((res) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', agent: false }, (r) => {
      let body = '';
      r.on('data', (d) => (body += d));
      r.on('end', () => res(r.statusCode === 200 && /"health":\s*"true"/.test(body)));
    });
    req.on('error', () => res(false));
    req.end();
  });
}

export class EtcdProcess {
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  #proc: ChildProcess | undefined;
  log = '';

  private constructor(dataDir: string, clientPort: number, peerPort: number) {
    this.dataDir = dataDir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  get endpoint(): string {
    return `etcd://127.0.0.1:${this.clientPort}`;
  }

  get args(): string[] {
    const client = `http://127.0.0.1:${this.clientPort}`;
    const peer = `http://127.0.0.1:${this.peerPort}`;
    return [
      '--name', 'bench',
      '--data-dir', this.dataDir,
      '--listen-client-urls', client,
      '--advertise-client-urls', client,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `bench=${peer}`,
      '--log-level', 'error',
    ];
  }

  get command(): string {
    return [etcdBin, ...this.args].join(' ');
  }

  static async start(): Promise<EtcdProcess> {
    const e = new EtcdProcess(await tempDir('etcd'), await freePort(), await freePort());
    const proc = spawn(etcdBin, e.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    e.#proc = proc;
    proc.stdout!.on('data', (d) => (e.log += d));
    proc.stderr!.on('data', (d) => (e.log += d));
    const deadline = Date.now() + 20_000;
    while (!(await health(e.clientPort))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        await e.stop();
        throw new Error(`etcd did not become healthy:\n${e.log.slice(-2000)}`);
      }
      await sleep(50);
    }
    return e;
  }

  /** SIGTERM, wait for exit, remove the data dir. */
  async stop(): Promise<void> {
    const p = this.#proc;
    if (p && p.exitCode === null && p.signalCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await removeDir(this.dataDir);
  }
}
