// Runs the storage conformance suite against SQLite, plus what only a file-backed store must do: survive restarts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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
