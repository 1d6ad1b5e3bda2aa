// Runs the storage conformance suite against SQLite, plus what only a file-backed store must do: survive restarts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WatchEvent } from '../backend.ts';
import { backendConformance } from '../backend.conformance.ts';
import { SqliteBackend } from './sqlite-backend.ts';

backendConformance('sqlite in memory', async () => ({
  backend: new SqliteBackend({ path: ':memory:' }),
  cleanup: async () => {},
}));

backendConformance('sqlite file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dabba-sqlite-'));
  return {
    backend: new SqliteBackend({ path: join(dir, 'state.db') }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('sqlite backend on disk', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dabba-sqlite-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write and the revision counter across a reopen', async () => {
    const path = join(dir, 'reopen', 'state.db');
    const first = new SqliteBackend({ path });
    await first.start();
    const a = await first.create('/registry/a', '1');
    await first.update('/registry/a', '2', a.modRevision);
    await first.create('/registry/b', '1');
    const deleted = await first.delete('/registry/b');
    await first.create('/registry/c', '1');
    await first.compact(deleted.modRevision);
    const before = await first.list('/registry/');
    await first.close();

    const second = new SqliteBackend({ path });
    await second.start();
    try {
      assert.equal(await second.currentRevision(), before.revision);
      assert.deepEqual(await second.list('/registry/'), before);
      assert.equal(await second.compactedRevision(), deleted.modRevision);
      await assert.rejects(second.list('/registry/', { revision: deleted.modRevision - 1 }), { code: 'STORAGE_COMPACTED' });
      const next = await second.create('/registry/d', '1');
      assert.equal(next.modRevision, before.revision + 1);
    } finally {
      await second.close();
    }
  });

  it('keeps the revision counter increasing even when compaction removed the newest rows', async () => {
    const path = join(dir, 'tombstone', 'state.db');
    const first = new SqliteBackend({ path });
    await first.start();
    await first.create('/registry/a', '1');
    const deleted = await first.delete('/registry/a');
    await first.create('/registry/b', '1');
    await first.delete('/registry/b');
    await first.compact(await first.currentRevision());
    const revision = await first.currentRevision();
    await first.close();

    const second = new SqliteBackend({ path });
    await second.start();
    try {
      assert.equal(await second.currentRevision(), revision);
      const recreated = await second.create('/registry/a', '2');
      assert.ok(recreated.modRevision > revision);
      assert.ok(recreated.createRevision > deleted.modRevision);
    } finally {
      await second.close();
    }
  });

  it('keeps every write acknowledged before the process was killed', async () => {
    const path = join(dir, 'killed', 'state.db');
    const moduleUrl = new URL('./sqlite-backend.ts', import.meta.url).href;
    // The child prints each revision only after the write returned, then is killed mid-stream.
    const script = `
      const { SqliteBackend } = await import(${JSON.stringify(moduleUrl)});
      const backend = new SqliteBackend({ path: ${JSON.stringify(path)} });
      await backend.start();
      for (let i = 0; ; i++) {
        const kv = await backend.create('/registry/k' + String(i).padStart(6, '0'), 'v' + i);
        process.stdout.write(kv.modRevision + '\\n');
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: number[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        acknowledged.push(...lines.map(Number));
        if (acknowledged.length >= 200 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    assert.ok(acknowledged.length >= 200, `child acknowledged only ${acknowledged.length} writes`);

    const reopened = new SqliteBackend({ path });
    await reopened.start();
    try {
      const listed = await reopened.list('/registry/');
      const stored = new Set(listed.items.map((kv) => kv.modRevision));
      const lost = acknowledged.filter((rev) => !stored.has(rev));
      assert.deepEqual(lost, [], 'acknowledged writes missing after the kill');
      const last = acknowledged.at(-1)!;
      assert.ok(listed.revision >= last);
      assert.ok((await reopened.create('/registry/after', 'x')).modRevision > listed.revision);
    } finally {
      await reopened.close();
    }
  });

  it('keeps writes made under deferSync, and passes on what the work throws', async () => {
    const path = join(dir, 'deferred', 'state.db');
    const first = new SqliteBackend({ path });
    await first.start();
    const made = await first.deferSync(async () => {
      const a = await first.create('/registry/a', '1');
      assert.equal((await first.get('/registry/a'))?.value, '1');
      return [a, await first.create('/registry/b', '1')];
    });
    await assert.rejects(
      first.deferSync(async () => {
        await first.create('/registry/c', '1');
        throw new Error('bootstrap failed');
      }),
      /bootstrap failed/,
    );
    const after = await first.create('/registry/d', '1');
    await first.close();

    const second = new SqliteBackend({ path });
    await second.start();
    try {
      const listed = await second.list('/registry/');
      assert.deepEqual(listed.items.map((kv) => [kv.key, kv.modRevision]), [
        ['/registry/a', made[0].modRevision],
        ['/registry/b', made[1].modRevision],
        ['/registry/c', made[1].modRevision + 1],
        ['/registry/d', after.modRevision],
      ]);
    } finally {
      await second.close();
    }
  });

  it('refuses a second backend on a file that is already open', async () => {
    const path = join(dir, 'locked', 'state.db');
    const first = new SqliteBackend({ path });
    await first.start();
    try {
      await first.create('/registry/a', '1');
      const second = new SqliteBackend({ path });
      await assert.rejects(second.start(), /in use by another process/);
      assert.equal((await first.get('/registry/a'))?.value, '1');
    } finally {
      await first.close();
    }
  });
});

/** A WAL sync the test completes by hand; `committed` is how many writes the test had issued when it started. */
interface ManualSync {
  committed: number;
  finish(): void;
  fail(err: Error): void;
}

/**
 * A backend whose syncs wait for the test, the test's count of issued writes (each commits when called), and a
 * close that finishes every sync from then on (so a failed assertion cannot leave close waiting for one).
 */
function manualBackend(): {
  backend: SqliteBackend;
  syncs: ManualSync[];
  issue<T>(write: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
} {
  const syncs: ManualSync[] = [];
  let issued = 0;
  let closing = false;
  const backend = new SqliteBackend({
    path: ':memory:',
    sync: () =>
      closing
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            syncs.push({ committed: issued, finish: resolve, fail: reject });
          }),
  });
  return {
    backend,
    syncs,
    issue(write) {
      issued += 1;
      return write();
    },
    async close() {
      closing = true;
      for (const sync of syncs) sync.finish();
      await backend.close();
    },
  };
}

/** Lets every queued callback and promise continuation run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Records whether a promise settled yet, and how. */
function track<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } {
  const t: { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { state: 'pending' };
  promise.then(
    () => (t.state = 'resolved'),
    (err: unknown) => {
      t.state = 'rejected';
      t.error = err;
    },
  );
  return t;
}

describe('sqlite backend group commit', () => {
  it('answers a write only after a sync that started after its commit, one sync for the writes made meanwhile', async () => {
    const { backend, syncs, issue, close } = manualBackend();
    await backend.start();
    try {
      const a = track(issue(() => backend.create('/registry/a', '1')));
      await settle();
      assert.equal(syncs.length, 1);
      assert.equal(syncs[0].committed, 1);
      const b = track(issue(() => backend.create('/registry/b', '1')));
      const c = track(issue(() => backend.create('/registry/c', '1')));
      const readB = track(backend.get('/registry/b'));
      await settle();
      assert.deepEqual([a.state, b.state, c.state, readB.state], ['pending', 'pending', 'pending', 'pending']);
      assert.equal(syncs.length, 1, 'a second sync started while the first was in flight');

      syncs[0].finish();
      await settle();
      // The first sync started before b and c committed, so it does not make them durable.
      assert.deepEqual([a.state, b.state, c.state, readB.state], ['resolved', 'pending', 'pending', 'pending']);
      assert.equal(syncs.length, 2);
      assert.equal(syncs[1].committed, 3);

      syncs[1].finish();
      await settle();
      assert.deepEqual([b.state, c.state, readB.state], ['resolved', 'resolved', 'resolved']);
      assert.equal(syncs.length, 2, 'more syncs than rounds of writes');
      // Nothing is waiting: a read answers without a sync.
      assert.equal((await backend.list('/registry/')).items.length, 3);
      assert.equal(syncs.length, 2);
    } finally {
      await close();
    }
  });

  it('delivers watch events only once their write is durable, in revision order to every watcher', async () => {
    const { backend, syncs, issue, close } = manualBackend();
    await backend.start();
    try {
      const early: WatchEvent[] = [];
      await backend.watch('/registry/', 0, (events) => early.push(...events));
      const a = track(issue(() => backend.create('/registry/a', '1')));
      await settle();
      const b = track(issue(() => backend.create('/registry/b', '1')));
      // Started while a and b are committed but not durable: its replay must not hand them out early.
      const late: WatchEvent[] = [];
      await backend.watch('/registry/', 0, (events) => late.push(...events));
      await settle();
      assert.deepEqual([early.length, late.length], [0, 0]);

      syncs[0].finish();
      await settle();
      assert.equal(a.state, 'resolved');
      assert.deepEqual(early.map((e) => e.kv.key), ['/registry/a']);
      assert.deepEqual(late.map((e) => e.kv.key), ['/registry/a']);
      assert.equal(b.state, 'pending');

      syncs[1].finish();
      await settle();
      assert.equal(b.state, 'resolved');
      for (const events of [early, late]) {
        assert.deepEqual(events.map((e) => `${e.kv.key}@${e.kv.modRevision}`), ['/registry/a@1', '/registry/b@2']);
      }
    } finally {
      await close();
    }
  });

  it('fails every write waiting on a failed sync, and every request after it', async () => {
    const { backend, syncs, issue, close } = manualBackend();
    await backend.start();
    try {
      const seen: WatchEvent[] = [];
      await backend.watch('/registry/', 0, (events) => seen.push(...events));
      const a = track(issue(() => backend.create('/registry/a', '1')));
      await settle();
      const b = track(issue(() => backend.create('/registry/b', '1')));
      syncs[0].fail(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
      await settle();
      assert.equal(a.state, 'rejected');
      assert.equal(b.state, 'rejected', 'a write waiting for the next sync was left hanging');
      assert.equal((a.error as { code?: string }).code, 'STORAGE_SYNC_FAILED');
      assert.match(String(a.error), /EIO/);
      assert.equal(syncs.length, 1, 'a failed sync was retried');
      await assert.rejects(backend.create('/registry/c', '1'), { code: 'STORAGE_SYNC_FAILED' });
      await assert.rejects(backend.get('/registry/a'), { code: 'STORAGE_SYNC_FAILED' });
      await assert.rejects(backend.list('/registry/'), { code: 'STORAGE_SYNC_FAILED' });
      assert.deepEqual(seen, [], 'watchers heard of writes that never became durable');
    } finally {
      await close();
    }
  });

  it('under deferSync, answers and tells watchers at once, and resolves only after one sync of it all', async () => {
    const { backend, syncs, issue, close } = manualBackend();
    await backend.start();
    try {
      const seen: WatchEvent[] = [];
      await backend.watch('/registry/', 0, (events) => seen.push(...events));
      const before = track(issue(() => backend.create('/registry/before', '1')));
      const deferred = track(
        backend.deferSync(async () => {
          await issue(() => backend.create('/registry/a', '1'));
          // The bootstrap may wait for in-process watchers to have seen its writes.
          while (seen.length < 2) await new Promise((resolve) => setImmediate(resolve));
          return issue(() => backend.create('/registry/b', '1'));
        }),
      );
      await settle();
      assert.deepEqual(seen.map((e) => e.kv.key), ['/registry/before', '/registry/a', '/registry/b']);
      assert.deepEqual([before.state, deferred.state], ['pending', 'pending']);
      // A watch opened while the deferred writes are waiting for their sync still replays them.
      const later: WatchEvent[] = [];
      await backend.watch('/registry/', 0, (events) => later.push(...events));
      await settle();
      assert.deepEqual(later.map((e) => e.kv.key), ['/registry/before', '/registry/a', '/registry/b']);
      assert.equal(syncs.length, 1);
      syncs[0].finish();
      await settle();
      assert.equal(before.state, 'resolved');
      assert.equal(syncs.length, 2);
      assert.equal(syncs[1].committed, 3);
      assert.equal(deferred.state, 'pending');
      syncs[1].finish();
      await settle();
      assert.equal(deferred.state, 'resolved');
    } finally {
      await close();
    }
  });

  it('waits in close for the syncs that committed writes are waiting on', async () => {
    const { backend, syncs, issue } = manualBackend();
    await backend.start();
    const a = track(issue(() => backend.create('/registry/a', '1')));
    await settle();
    const closed = track(backend.close());
    await settle();
    assert.deepEqual([a.state, closed.state], ['pending', 'pending']);
    syncs[0].finish();
    await settle();
    assert.deepEqual([a.state, closed.state], ['resolved', 'resolved']);
  });

  it('keeps every one of many concurrent writes across a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dabba-sqlite-'));
    try {
      const path = join(dir, 'state.db');
      const first = new SqliteBackend({ path });
      await first.start();
      const written = await Promise.all(
        Array.from({ length: 300 }, (_, i) => first.create(`/registry/k${String(i).padStart(4, '0')}`, `v${i}`)),
      );
      await first.close();

      const second = new SqliteBackend({ path });
      await second.start();
      try {
        const listed = await second.list('/registry/');
        assert.deepEqual(
          listed.items.map((kv) => [kv.key, kv.value, kv.modRevision]),
          written.map((kv) => [kv.key, kv.value, kv.modRevision]),
        );
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
