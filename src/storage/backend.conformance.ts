// The behaviour every storage Backend must show, as one node:test suite run against each implementation.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Backend, KeyValue, WatchEvent } from './backend.ts';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError } from './errors.ts';

/** A watch callback that records events, and a way to wait until a number of them has arrived. */
interface EventLog {
  events: WatchEvent[];
  onEvents: (events: WatchEvent[]) => void;
  waitFor(count: number): Promise<WatchEvent[]>;
}

function eventLog(): EventLog {
  const events: WatchEvent[] = [];
  return {
    events,
    onEvents: (batch) => {
      events.push(...batch);
    },
    async waitFor(count) {
      const deadline = Date.now() + 10_000;
      while (events.length < count) {
        if (Date.now() > deadline) {
          assert.fail(`expected ${count} watch events, got ${events.length}: ${JSON.stringify(events.map(summary))}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return events;
    },
  };
}

/** The part of an event that tests compare: type, key, value and revision. */
function summary(e: WatchEvent): string {
  return `${e.type} ${e.kv.key}=${e.kv.value}@${e.kv.modRevision}`;
}

function kvSummary(kv: KeyValue): string {
  return `${kv.key}=${kv.value}@${kv.modRevision}`;
}

let prefixCounter = 0;

/** A fresh key prefix, so tests never see each other's keys even when they share one datastore. */
function freshPrefix(): string {
  prefixCounter += 1;
  return `/registry/conformance-${process.pid}-${Date.now()}-${prefixCounter}/`;
}

/**
 * Registers the shared Backend suite. `make` returns a backend that is not started yet; the suite
 * starts and closes it around each test, then calls `cleanup`.
 */
export function backendConformance(
  name: string,
  make: () => Promise<{ backend: Backend; cleanup(): Promise<void> }>,
): void {
  describe(`storage backend conformance: ${name}`, () => {
    let backend: Backend;
    let cleanup: () => Promise<void>;
    let p: string;

    beforeEach(async () => {
      const made = await make();
      backend = made.backend;
      cleanup = () => made.cleanup();
      await backend.start();
      p = freshPrefix();
    });

    afterEach(async () => {
      await backend.close();
      await cleanup();
    });

    it('creates a key and reads it back with equal create and mod revisions', async () => {
      const created = await backend.create(`${p}a`, 'one');
      assert.equal(created.key, `${p}a`);
      assert.equal(created.value, 'one');
      assert.ok(created.modRevision > 0);
      assert.equal(created.createRevision, created.modRevision);
      assert.deepEqual(await backend.get(`${p}a`), created);
      assert.equal(await backend.get(`${p}missing`), undefined);
    });

    it('refuses to create a key that exists, but allows it again after a delete', async () => {
      const first = await backend.create(`${p}a`, 'one');
      await assert.rejects(backend.create(`${p}a`, 'two'), (err: unknown) => {
        assert.ok(err instanceof KeyExistsError);
        assert.equal(err.key, `${p}a`);
        return true;
      });
      assert.equal((await backend.get(`${p}a`))?.value, 'one');
      await backend.delete(`${p}a`);
      const again = await backend.create(`${p}a`, 'three');
      assert.ok(again.createRevision > first.createRevision);
      assert.equal(again.createRevision, again.modRevision);
    });

    it('updates with the current revision and rejects a stale one with the stored revision', async () => {
      const created = await backend.create(`${p}a`, 'one');
      const updated = await backend.update(`${p}a`, 'two', created.modRevision);
      assert.equal(updated.value, 'two');
      assert.ok(updated.modRevision > created.modRevision);
      assert.equal(updated.createRevision, created.createRevision);
      assert.deepEqual(await backend.get(`${p}a`), updated);

      await assert.rejects(backend.update(`${p}a`, 'three', created.modRevision), (err: unknown) => {
        assert.ok(err instanceof ConflictError);
        assert.equal(err.key, `${p}a`);
        assert.equal(err.currentRevision, updated.modRevision);
        return true;
      });
      assert.equal((await backend.get(`${p}a`))?.value, 'two');
    });

    it('rejects update and delete of a missing key with KeyNotFoundError', async () => {
      const isNotFound = (err: unknown) => err instanceof KeyNotFoundError && err.key === `${p}missing`;
      await assert.rejects(backend.update(`${p}missing`, 'x', 1), isNotFound);
      await assert.rejects(backend.update(`${p}missing`, 'x', 0), isNotFound);
      await assert.rejects(backend.delete(`${p}missing`), isNotFound);
      await assert.rejects(backend.delete(`${p}missing`, 1), isNotFound);
      assert.equal(await backend.get(`${p}missing`), undefined);
    });

    it('deletes a key, returning its last value at the deletion revision', async () => {
      const created = await backend.create(`${p}a`, 'one');
      const updated = await backend.update(`${p}a`, 'two', created.modRevision);
      await assert.rejects(backend.delete(`${p}a`, created.modRevision), (err: unknown) => {
        assert.ok(err instanceof ConflictError);
        assert.equal(err.currentRevision, updated.modRevision);
        return true;
      });
      const deleted = await backend.delete(`${p}a`, updated.modRevision);
      assert.equal(deleted.key, `${p}a`);
      assert.equal(deleted.value, 'two');
      assert.equal(deleted.createRevision, created.createRevision);
      assert.ok(deleted.modRevision > updated.modRevision);
      assert.equal(await backend.currentRevision(), deleted.modRevision);
      assert.equal(await backend.get(`${p}a`), undefined);
      await assert.rejects(backend.delete(`${p}a`), KeyNotFoundError);
    });

    it('gives every write a new revision, increasing across all keys', async () => {
      const start = await backend.currentRevision();
      const revisions: number[] = [];
      const a = await backend.create(`${p}a`, '1');
      revisions.push(a.modRevision);
      revisions.push((await backend.create(`${p}other/b`, '1')).modRevision);
      revisions.push((await backend.update(`${p}a`, '2', a.modRevision)).modRevision);
      revisions.push((await backend.delete(`${p}other/b`)).modRevision);
      revisions.push((await backend.create(`${p}other/b`, '2')).modRevision);
      let previous = start;
      for (const rev of revisions) {
        assert.ok(rev > previous, `revision ${rev} should be greater than ${previous} (${revisions.join(', ')})`);
        previous = rev;
      }
      assert.equal(await backend.currentRevision(), previous);
      assert.equal((await backend.list(p)).revision, previous);
    });

    it('lists keys under a prefix in key order, and only those', async () => {
      for (const key of ['b', 'a/2', 'c', 'a/1', 'a']) await backend.create(`${p}dir/${key}`, key);
      await backend.create(`${p}dirt`, 'outside');
      await backend.create(`${p}di`, 'outside');
      const listed = await backend.list(`${p}dir/`);
      assert.deepEqual(
        listed.items.map((kv) => kv.key),
        ['a', 'a/1', 'a/2', 'b', 'c'].map((key) => `${p}dir/${key}`),
      );
      assert.deepEqual(listed.items.map((kv) => kv.value), ['a', 'a/1', 'a/2', 'b', 'c']);
      assert.equal(listed.more, false);
      assert.equal(listed.revision, await backend.currentRevision());
      assert.deepEqual((await backend.list(`${p}nothing/`)).items, []);
    });

    it('paginates with limit, startKey and more, consistently at one revision while writes happen', async () => {
      const original = new Map<string, KeyValue>();
      for (let i = 0; i < 10; i++) {
        const kv = await backend.create(`${p}item-${String(i).padStart(2, '0')}`, `v${i}`);
        original.set(kv.key, kv);
      }
      const first = await backend.list(p, { limit: 4 });
      assert.equal(first.items.length, 4);
      assert.equal(first.more, true);
      const at = first.revision;

      // Writes between pages must not show up in the later pages of the same list.
      const five = original.get(`${p}item-05`)!;
      await backend.update(five.key, 'changed', five.modRevision);
      await backend.delete(`${p}item-06`);
      await backend.create(`${p}item-055`, 'new');
      await backend.create(`${p}item-99`, 'new');
      await backend.delete(`${p}item-00`);

      const pages = [first];
      while (pages.at(-1)!.more) {
        const last = pages.at(-1)!.items.at(-1)!;
        const page = await backend.list(p, { limit: 4, startKey: `${last.key}\x00`, revision: at });
        assert.equal(page.revision, at);
        pages.push(page);
        assert.ok(pages.length <= 3, 'pagination should end after three pages');
      }
      assert.deepEqual(pages.map((page) => page.items.length), [4, 4, 2]);
      assert.deepEqual(pages.flatMap((page) => page.items).map(kvSummary), [...original.values()].map(kvSummary));

      // A limit that exactly covers the rest reports no more; one short of it does.
      assert.equal((await backend.list(p, { revision: at, limit: 10 })).more, false);
      assert.equal((await backend.list(p, { revision: at, limit: 9 })).more, true);
      assert.equal((await backend.list(p, { revision: at, startKey: `${p}item-08` })).items.length, 2);

      const now = await backend.list(p);
      assert.deepEqual(
        now.items.map((kv) => `${kv.key.slice(p.length)}=${kv.value}`),
        ['item-01=v1', 'item-02=v2', 'item-03=v3', 'item-04=v4', 'item-05=changed', 'item-055=new', 'item-07=v7', 'item-08=v8', 'item-09=v9', 'item-99=new'],
      );
    });

    it('lists as of an older revision', async () => {
      const a1 = await backend.create(`${p}a`, '1');
      const a2 = await backend.update(`${p}a`, '2', a1.modRevision);
      const b = await backend.create(`${p}b`, '1');
      const aDeleted = await backend.delete(`${p}a`);
      const listAt = async (revision: number) => (await backend.list(p, { revision })).items.map(kvSummary);
      assert.deepEqual(await listAt(a1.modRevision), [kvSummary(a1)]);
      assert.deepEqual(await listAt(a2.modRevision), [kvSummary(a2)]);
      assert.deepEqual(await listAt(b.modRevision), [kvSummary(a2), kvSummary(b)]);
      assert.deepEqual(await listAt(aDeleted.modRevision), [kvSummary(b)]);
      assert.equal((await backend.list(p, { revision: a2.modRevision })).revision, a2.modRevision);
      const old = (await backend.list(p, { revision: a2.modRevision })).items[0]!;
      assert.equal(old.createRevision, a1.modRevision);
    });

    it('counts the live keys under a prefix', async () => {
      await backend.create(`${p}dir/a`, '1');
      await backend.create(`${p}dir/b`, '1');
      await backend.create(`${p}dir/c`, '1');
      await backend.create(`${p}dirt`, '1');
      await backend.delete(`${p}dir/b`);
      assert.equal(await backend.count(`${p}dir/`), 2);
      assert.equal(await backend.count(p), 3);
      assert.equal(await backend.count(`${p}nothing/`), 0);
    });

    it('watches from the current revision: put, put, delete in order with previous values', async () => {
      const log = eventLog();
      const watcher = await backend.watch(p, await backend.currentRevision(), log.onEvents);
      try {
        const created = await backend.create(`${p}a`, 'one');
        const updated = await backend.update(`${p}a`, 'two', created.modRevision);
        const deleted = await backend.delete(`${p}a`);
        const events = await log.waitFor(3);
        assert.deepEqual(events.map(summary), [
          `put ${p}a=one@${created.modRevision}`,
          `put ${p}a=two@${updated.modRevision}`,
          `delete ${p}a=two@${deleted.modRevision}`,
        ]);
        assert.equal(events[0]!.prevKv, undefined);
        assert.deepEqual(events[0]!.kv, created);
        assert.deepEqual(events[1]!.kv, updated);
        assert.deepEqual(events[1]!.prevKv, created);
        assert.deepEqual(events[2]!.kv, deleted);
        assert.equal(events[2]!.kv.createRevision, created.modRevision);
        assert.deepEqual(events[2]!.prevKv, updated);
      } finally {
        watcher.cancel();
      }
    });

    it('watches from an older revision: replays history, then continues live with no gap or duplicate', async () => {
      // The write at the watch's starting revision itself must not be delivered.
      const base = (await backend.create(`${p}before`, 'not delivered')).modRevision;
      const written: KeyValue[] = [];
      for (let i = 0; i < 5; i++) written.push(await backend.create(`${p}k${i}`, `v${i}`));
      written.push(await backend.update(`${p}k0`, 'v0b', written[0]!.modRevision));
      written.push(await backend.delete(`${p}k1`));
      const log = eventLog();
      // Writes race with setting up the watch: each must be seen exactly once either way.
      const watching = backend.watch(p, base, log.onEvents);
      const racing = Promise.all([backend.create(`${p}k5`, 'v5'), backend.update(`${p}k2`, 'v2b', written[2]!.modRevision)]);
      const watcher = await watching;
      try {
        written.push(...(await racing));
        for (let i = 6; i < 9; i++) written.push(await backend.create(`${p}k${i}`, `v${i}`));
        const expected = written.map((kv) => kv.modRevision).sort((a, b) => a - b);
        const events = await log.waitFor(expected.length);
        assert.deepEqual(events.map((e) => e.kv.modRevision), expected);
        assert.equal(events.find((e) => e.kv.key === `${p}k1` && e.type === 'delete')?.kv.value, 'v1');
        assert.equal(events.find((e) => e.kv.value === 'v0b')?.prevKv?.value, 'v0');

        // A sentinel write proves nothing else (such as a duplicate) was queued before it.
        const sentinel = await backend.create(`${p}sentinel`, 's');
        await log.waitFor(expected.length + 1);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(log.events.map((e) => e.kv.modRevision), [...expected, sentinel.modRevision]);
      } finally {
        watcher.cancel();
      }
    });

    it('delivers a burst of concurrent writes in revision order', async () => {
      const log = eventLog();
      const watcher = await backend.watch(p, await backend.currentRevision(), log.onEvents);
      try {
        const written = await Promise.all(Array.from({ length: 40 }, (_, i) => backend.create(`${p}burst-${i}`, String(i))));
        const expected = written.map((kv) => kv.modRevision).sort((a, b) => a - b);
        const events = await log.waitFor(40);
        assert.deepEqual(events.map((e) => e.kv.modRevision), expected);
      } finally {
        watcher.cancel();
      }
    });

    it('watches only keys under the prefix', async () => {
      const log = eventLog();
      const watcher = await backend.watch(`${p}a/`, await backend.currentRevision(), log.onEvents);
      try {
        await backend.create(`${p}b/x`, 'no');
        await backend.create(`${p}ab`, 'no');
        await backend.create(`${p}a`, 'no');
        const inside = await backend.create(`${p}a/x`, 'yes');
        await backend.create(`${p}a-x`, 'no');
        const last = await backend.create(`${p}a/y`, 'yes');
        await log.waitFor(2);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(log.events.map(summary), [
          `put ${p}a/x=yes@${inside.modRevision}`,
          `put ${p}a/y=yes@${last.modRevision}`,
        ]);
      } finally {
        watcher.cancel();
      }
    });

    it('stops delivering events once a watch is cancelled', async () => {
      const cancelled = eventLog();
      const control = eventLog();
      const start = await backend.currentRevision();
      const watcher = await backend.watch(p, start, cancelled.onEvents);
      const controlWatcher = await backend.watch(p, start, control.onEvents);
      try {
        await backend.create(`${p}a`, '1');
        await cancelled.waitFor(1);
        watcher.cancel();
        await backend.create(`${p}b`, '1');
        await control.waitFor(2);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(cancelled.events.length, 1);
      } finally {
        controlWatcher.cancel();
      }
    });

    it('compacts history: lists and watches before the compacted revision fail, later ones work', async () => {
      const a1 = await backend.create(`${p}a`, '1');
      const a2 = await backend.update(`${p}a`, '2', a1.modRevision);
      const b = await backend.create(`${p}b`, '1');
      const aDeleted = await backend.delete(`${p}a`);
      const c = await backend.create(`${p}c`, '1');
      await backend.compact(b.modRevision);
      assert.equal(await backend.compactedRevision(), b.modRevision);

      await assert.rejects(backend.list(p, { revision: a2.modRevision }), (err: unknown) => {
        assert.ok(err instanceof CompactedError);
        assert.equal(err.requested, a2.modRevision);
        assert.equal(err.compacted, b.modRevision);
        return true;
      });
      assert.deepEqual((await backend.list(p, { revision: b.modRevision })).items.map(kvSummary), [kvSummary(a2), kvSummary(b)]);
      assert.deepEqual((await backend.list(p)).items.map(kvSummary), [kvSummary(b), kvSummary(c)]);
      assert.deepEqual(await backend.get(`${p}c`), c);

      await assert.rejects(backend.watch(p, a1.modRevision, () => {}), (err: unknown) => {
        assert.ok(err instanceof CompactedError);
        assert.equal(err.compacted, b.modRevision);
        return true;
      });

      // As in etcd, a watch may start at the compacted revision itself.
      const log = eventLog();
      const watcher = await backend.watch(p, a2.modRevision, log.onEvents);
      try {
        const d = await backend.create(`${p}d`, '1');
        const events = await log.waitFor(4);
        assert.deepEqual(events.map(summary), [
          `put ${kvSummary(b)}`,
          `delete ${p}a=2@${aDeleted.modRevision}`,
          `put ${kvSummary(c)}`,
          `put ${kvSummary(d)}`,
        ]);
        assert.deepEqual(events[1]!.prevKv, a2);
      } finally {
        watcher.cancel();
      }

      // Compacting at or before the compacted revision again changes nothing.
      await backend.compact(a1.modRevision);
      assert.equal(await backend.compactedRevision(), b.modRevision);
      const current = await backend.currentRevision();
      await assert.rejects(backend.compact(current + 100));
    });
  });
}
