// Runs the storage conformance suite against a real etcd server that this test starts and stops itself.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { backendConformance } from '../backend.conformance.ts';
import { CompactedError } from '../errors.ts';
import { EtcdBackend } from './etcd-backend.ts';

const ETCD = '/usr/bin/etcd';

/** A TCP port that was free a moment ago: bind port 0, read the port, release it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface RunningEtcd {
  endpoint: string;
  clientPort: number;
  peerPort: number;
  dataDir: string;
  process: ChildProcess;
}

/** Starts etcd and waits until it reports healthy; pass ports and data dir to restart an earlier one. */
async function startEtcd(reuse: { dataDir?: string; clientPort?: number; peerPort?: number } = {}): Promise<RunningEtcd> {
  const dataDir = reuse.dataDir ?? (await mkdtemp(join(tmpdir(), 'dabba-etcd-')));
  const clientPort = reuse.clientPort ?? (await freePort());
  const peerPort = reuse.peerPort ?? (await freePort());
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    ETCD,
    [
      '--name', 'dabba-test',
      '--data-dir', join(dataDir, 'data'),
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `dabba-test=${peer}`,
      '--logger', 'zap',
      '--log-level', 'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const running: RunningEtcd = { endpoint, clientPort, peerPort, dataDir, process: child };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`etcd exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok && ((await res.json()) as { health?: string }).health === 'true') return running;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stopEtcd(running);
      throw new Error(`etcd did not become healthy within 30s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops etcd by its PID and, unless it is to be restarted, removes its data directory. */
async function stopEtcd(etcd: RunningEtcd, options: { keepData?: boolean } = {}): Promise<void> {
  const child = etcd.process;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (!options.keepData) await rm(etcd.dataDir, { recursive: true, force: true });
}

/** Waits until `read()` returns at least `count` items. */
async function waitFor<T>(read: () => T[], count: number, what: string): Promise<T[]> {
  const deadline = Date.now() + 20_000;
  while (read().length < count) {
    if (Date.now() > deadline) assert.fail(`expected ${count} ${what}, got ${JSON.stringify(read())}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return read();
}

if (!existsSync(ETCD)) {
  it('etcd backend conformance', { skip: 'skipped: etcd not installed (apt-get install etcd-server)' }, () => {});
} else {
  describe('etcd backend', () => {
    let etcd: RunningEtcd | undefined;
    let backends = 0;

    before(async () => {
      etcd = await startEtcd();
    });

    after(async () => {
      if (etcd) await stopEtcd(etcd);
    });

    backendConformance('etcd', async () => {
      backends += 1;
      return {
        backend: new EtcdBackend({ endpoint: etcd!.endpoint, prefix: `/dabba-test-${backends}` }),
        cleanup: async () => {},
      };
    });

    it('stores keys under its prefix, invisible to a backend with another prefix', async () => {
      const a = new EtcdBackend({ endpoint: etcd!.endpoint, prefix: '/tenant-a' });
      const b = new EtcdBackend({ endpoint: etcd!.endpoint, prefix: '/tenant-ab' });
      await a.start();
      await b.start();
      try {
        await a.create('/registry/x', 'from a');
        await b.create('/registry/x', 'from b');
        assert.deepEqual((await a.list('')).items.map((kv) => `${kv.key}=${kv.value}`), ['/registry/x=from a']);
        assert.deepEqual((await b.list('')).items.map((kv) => `${kv.key}=${kv.value}`), ['/registry/x=from b']);
        assert.equal(await a.count(''), 1);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('fails to start with a clear error when etcd is unreachable', async () => {
      const port = await freePort();
      const backend = new EtcdBackend({ endpoint: `http://127.0.0.1:${port}` });
      await assert.rejects(backend.start(), new RegExp(`cannot reach etcd at http://127.0.0.1:${port}`));
    });
  });

  describe('etcd backend across etcd restarts', () => {
    let etcd: RunningEtcd | undefined;

    before(async () => {
      etcd = await startEtcd();
    });

    after(async () => {
      if (etcd) await stopEtcd(etcd);
    });

    it('resumes a watch after a restart with no gap or duplicate, and reports history it can no longer bridge', async () => {
      const watching = new EtcdBackend({ endpoint: etcd!.endpoint, prefix: '/restart' });
      await watching.start();
      const events: string[] = [];
      const errors: Error[] = [];
      try {
        const a = await watching.create('/registry/a', '1');
        await watching.watch(
          '/registry/',
          a.modRevision,
          (batch) => events.push(...batch.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`)),
          (err) => errors.push(err),
        );
        const b = await watching.create('/registry/b', '1');
        await waitFor(() => events, 1, 'events');

        await stopEtcd(etcd!, { keepData: true });
        etcd = await startEtcd(etcd!);
        const writer = new EtcdBackend({ endpoint: etcd.endpoint, prefix: '/restart' });
        await writer.start();
        const c = await writer.create('/registry/c', '1');
        const bDeleted = await writer.delete('/registry/b');
        await writer.close();
        await waitFor(() => events, 3, 'events');
        assert.deepEqual(events, [
          `put /registry/b@${b.modRevision}`,
          `put /registry/c@${c.modRevision}`,
          `delete /registry/b@${bDeleted.modRevision}`,
        ]);

        // While the watch cannot reach etcd, history it has not seen is written and compacted away: the
        // watch cannot resume without a gap, so it must say so rather than go quiet.
        await stopEtcd(etcd, { keepData: true });
        const elsewhere = await startEtcd({ dataDir: etcd.dataDir, peerPort: etcd.peerPort });
        const compactor = new EtcdBackend({ endpoint: elsewhere.endpoint, prefix: '/restart' });
        await compactor.start();
        await compactor.create('/registry/d', '1');
        const e = await compactor.create('/registry/e', '1');
        await compactor.compact(e.modRevision);
        await compactor.close();
        await stopEtcd(elsewhere, { keepData: true });
        etcd = await startEtcd(etcd);

        await waitFor(() => errors, 1, 'watch errors');
        assert.ok(errors[0] instanceof CompactedError, String(errors[0]));
        assert.equal(errors[0].compacted, e.modRevision);
        assert.equal(events.length, 3);
      } finally {
        await watching.close();
      }
    });
  });
}
