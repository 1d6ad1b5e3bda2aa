// The embedded datastore: an append-only SQLite log whose row id is the global revision, with in-process watches.
import { mkdirSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Backend, KeyValue, ListOptions, ListResult, WatchEvent, Watcher } from '../backend.ts';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError, SyncFailedError } from '../errors.ts';

/** One row of the log: a put (deleted = 0) or a tombstone that repeats the last value (deleted = 1). */
interface LogRow {
  id: number;
  name: string;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
}

/** A log row joined with the live row it replaced (p_* are null when there was none). */
interface HistoryRow extends LogRow {
  p_id: number | null;
  p_create_revision: number | null;
  p_value: string | null;
}

interface LiveWatch {
  prefix: string;
  afterRevision: number;
  onEvents: (events: WatchEvent[]) => void;
  pending: WatchEvent[];
  scheduled: boolean;
  cancelled: boolean;
}

interface Statements {
  latest: StatementSync;
  insert: StatementSync;
  list: StatementSync;
  count: StatementSync;
  history: StatementSync;
  setMeta: StatementSync;
  compact: StatementSync;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

// The latest row of each key as of :rev, skipping keys whose latest row is a tombstone.
const LIST_SQL = `
SELECT l.id, l.name, l.create_revision, l.value FROM log l
WHERE l.name >= :start AND l.name < :end AND l.deleted = 0
  AND l.id = (SELECT MAX(m.id) FROM log m WHERE m.name = l.name AND m.id <= :rev)
ORDER BY l.name LIMIT :limit`;

const COUNT_SQL = `
SELECT COUNT(*) AS n FROM log l
WHERE l.name >= :start AND l.name < :end AND l.deleted = 0
  AND l.id = (SELECT MAX(m.id) FROM log m WHERE m.name = l.name)`;

// Watches usually resume from a recent revision, so walk the log from there rather than the whole prefix
// (the unary + keeps the planner off the name index).
const HISTORY_SQL = `
SELECT l.id, l.name, l.deleted, l.create_revision, l.prev_revision, l.value,
       p.id AS p_id, p.create_revision AS p_create_revision, p.value AS p_value
FROM log l LEFT JOIN log p ON p.id = l.prev_revision AND p.deleted = 0
WHERE l.id > :after AND l.id <= :upto AND +l.name >= :start AND +l.name < :end
ORDER BY l.id`;

// Keeps, for every key, its latest row as of :rev - 1 (unless a tombstone) and every row from :rev on,
// so lists at :rev and watches starting at :rev (with their previous values) can still be answered.
const COMPACT_SQL = `
DELETE FROM log WHERE id < :rev AND (
  deleted = 1 OR id < (SELECT MAX(m.id) FROM log m WHERE m.name = log.name AND m.id < :rev))`;

// SQLite orders every TEXT value before every BLOB, so this bounds "all keys" from above.
const AFTER_ALL_TEXT = new Uint8Array([0xff]);

/** The smallest string greater than every string that starts with `prefix`, in UTF-8 byte order. */
function prefixEnd(prefix: string): string | Uint8Array {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Surrogate code points cannot be stored as UTF-8, so step over them.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return codePoints.join('') + String.fromCodePoint(next);
    }
  }
  return AFTER_ALL_TEXT;
}

function keyValue(row: { id: number; name: string; create_revision: number; value: string }): KeyValue {
  return Object.freeze({ key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.id });
}

export class SqliteBackend implements Backend {
  readonly name = 'sqlite';
  readonly #path: string;
  #db: DatabaseSync | undefined;
  #stmts: Statements | undefined;
  #revision = 0;
  #compacted = 0;
  /** deferSync calls in progress; writes and reads do not wait for the WAL sync while there are any. */
  #deferring = 0;
  readonly #watchers = new Set<LiveWatch>();
  /** Makes every commit made before it was called durable. */
  readonly #sync: () => Promise<void>;
  #wal: FileHandle | undefined;
  /** The highest revision known to be on disk. */
  #durable = 0;
  /** The sync in flight and the revision it covers. */
  #inFlight: { upTo: number; done: Promise<void> } | undefined;
  /** The sync that starts once the one in flight ends, shared by every commit made meanwhile (group commit). */
  #next: PromiseWithResolvers<void> | undefined;
  /** Set for good when a sync failed: what reached the disk is unknown, so nothing is answered any more. */
  #failed: SyncFailedError | undefined;
  /** Committed changes not yet on disk, in revision order: watchers hear of them once their sync completed. */
  #held: WatchEvent[] = [];
  /** The highest revision handed to watchers: #held holds exactly the changes after it. */
  #released = 0;

  /** `sync` replaces the fsync of the WAL (for tests); it must make every commit made before it was called durable. */
  constructor(options: { path: string; sync?: () => Promise<void> }) {
    this.#path = options.path;
    this.#sync = options.sync ?? (() => this.#syncWal());
  }

  /** The database file, or ':memory:'. */
  get path(): string {
    return this.#path;
  }

  async start(): Promise<void> {
    if (this.#db) return;
    if (this.#path !== ':memory:') mkdirSync(dirname(this.#path), { recursive: true });
    const db = new DatabaseSync(this.#path, { timeout: 0 });
    try {
      // Exclusive locking holds the file for the life of the process: a second server on the same
      // data directory fails here instead of silently forking the revision counter.
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      db.exec('PRAGMA journal_mode = WAL');
      // NORMAL: a commit does not fsync the WAL on the JavaScript thread; writes wait for #sync instead (group
      // commit, off the thread). SQLite still syncs the WAL before every checkpoint copies it into the database
      // and the database after it, so a checkpoint never makes a synced commit less durable.
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec(SCHEMA);
    } catch (err) {
      db.close();
      if (err instanceof Error && /locked|busy/i.test(err.message)) {
        throw new Error(
          `datastore ${this.#path} is in use by another process (is another \`dabba up\` running on this --data-dir? stop it, or use another --data-dir)`,
          { cause: err },
        );
      }
      throw err;
    }
    this.#stmts = {
      latest: db.prepare(
        'SELECT id, name, deleted, create_revision, prev_revision, value FROM log WHERE name = ? ORDER BY id DESC LIMIT 1',
      ),
      insert: db.prepare(
        'INSERT INTO log (id, name, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      list: db.prepare(LIST_SQL),
      count: db.prepare(COUNT_SQL),
      history: db.prepare(HISTORY_SQL),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      compact: db.prepare(COMPACT_SQL),
    };
    // sqlite_sequence remembers the highest id ever used, even after compaction deleted that row.
    const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'log'").get() as { seq: number } | undefined;
    const compacted = db.prepare("SELECT value FROM meta WHERE key = 'compacted'").get() as { value: number } | undefined;
    this.#revision = seq?.seq ?? 0;
    this.#compacted = compacted?.value ?? 0;
    this.#db = db;
    // A killed predecessor may have left commits that are in the page cache but not on disk: nothing is
    // answered from them before they are.
    this.#durable = 0;
    this.#released = this.#revision;
    this.#held = [];
    this.#failed = undefined;
    await this.#durableTo(this.#revision);
  }

  async close(): Promise<void> {
    // Writes already committed are waiting for these syncs; let them finish (or fail) first.
    while (this.#inFlight || this.#next) await (this.#inFlight?.done ?? this.#next!.promise).catch(() => {});
    for (const w of this.#watchers) w.cancelled = true;
    this.#watchers.clear();
    this.#held = [];
    this.#stmts = undefined;
    const db = this.#db;
    this.#db = undefined;
    const wal = this.#wal;
    this.#wal = undefined;
    await wal?.close();
    db?.close();
  }

  async deferSync<T>(work: () => Promise<T>): Promise<T> {
    this.#database();
    // Nobody outside can see these writes yet, so in-process watchers (whose caches the bootstrap may wait
    // for) hear of them at once, after whatever was held back before.
    this.#deferring++;
    this.#release(this.#revision);
    try {
      return await work();
    } finally {
      this.#deferring--;
      await this.#durableTo(this.#revision);
    }
  }

  /** fdatasync of the WAL, off the JavaScript thread: every commit so far is then durable (a checkpoint syncs the rest). */
  async #syncWal(): Promise<void> {
    if (this.#path === ':memory:') return;
    // One handle for the life of the backend, so a writeback error is reported to it even if another
    // descriptor (SQLite's, at a checkpoint) saw it first.
    if (!this.#wal) {
      let wal;
      try {
        wal = await open(`${this.#path}-wal`, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      try {
        // SQLite made the WAL when this process opened the database (and deletes it on close): its directory
        // entry must reach the disk too, which a commit under synchronous = NORMAL never asks for.
        const dir = await open(dirname(this.#path), 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      } catch (e) {
        await wal.close();
        throw e;
      }
      this.#wal = wal;
    }
    // fdatasync, as SQLite itself syncs its WAL: the data and the file size, not the timestamps.
    await this.#wal.datasync();
  }

  /** Resolves once every commit up to `revision` is on disk, starting or joining a group sync if needed. */
  #durableTo(revision: number): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (revision <= this.#durable) return Promise.resolve();
    if (this.#inFlight && this.#inFlight.upTo >= revision) return this.#inFlight.done;
    // The sync in flight (if any) started before this commit: wait for the next one.
    if (!this.#next) {
      this.#next = Promise.withResolvers<void>();
      this.#next.promise.catch(() => {});
      // Started after the current task's commits, so writes made in one go share it.
      if (!this.#inFlight) queueMicrotask(() => void this.#runSync());
    }
    return this.#next.promise;
  }

  async #runSync(): Promise<void> {
    const round = this.#next;
    if (!round || this.#inFlight) return;
    this.#next = undefined;
    const upTo = this.#revision;
    this.#inFlight = { upTo, done: round.promise };
    try {
      await this.#sync();
      this.#durable = Math.max(this.#durable, upTo);
      this.#release(this.#durable);
      round.resolve();
    } catch (err) {
      // fsync errors cannot be retried safely (the kernel may have dropped the dirty pages): fail for good.
      this.#failed = new SyncFailedError(err);
      this.#held = [];
      round.reject(this.#failed);
      // Commits made while this sync ran wait for the next one, which will not come.
      (this.#next as PromiseWithResolvers<void> | undefined)?.reject(this.#failed);
      this.#next = undefined;
    } finally {
      this.#inFlight = undefined;
    }
    if (this.#next) await this.#runSync();
  }

  /** Waits, unless under deferSync, until every commit up to `revision` is on disk. */
  #settled(revision: number): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed);
    return this.#deferring > 0 ? Promise.resolve() : this.#durableTo(revision);
  }

  /** Runs a commit, then answers only once it (or, for a refused write, what the refusal saw) is on disk. */
  async #write(commit: () => KeyValue): Promise<KeyValue> {
    if (this.#failed) throw this.#failed;
    let kv: KeyValue;
    try {
      kv = commit();
    } catch (err) {
      await this.#settled(this.#revision);
      throw err;
    }
    await this.#settled(kv.modRevision);
    return kv;
  }

  /** Answers a read only once everything it may have seen is on disk: nobody observes a write a crash could lose. */
  async #read<T>(read: () => T): Promise<T> {
    if (this.#failed) throw this.#failed;
    const result = read();
    await this.#settled(this.#revision);
    return result;
  }

  async currentRevision(): Promise<number> {
    this.#statements();
    return this.#read(() => this.#revision);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const stmts = this.#statements();
    return this.#write(() => {
      const latest = stmts.latest.get(key) as LogRow | undefined;
      if (latest && latest.deleted === 0) throw new KeyExistsError(key);
      const rev = this.#append(key, 0, undefined, latest?.id ?? 0, value);
      const kv = keyValue({ id: rev, name: key, create_revision: rev, value });
      this.#notify({ type: 'put', kv });
      return kv;
    });
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const stmts = this.#statements();
    return this.#read(() => {
      const latest = stmts.latest.get(key) as LogRow | undefined;
      return latest && latest.deleted === 0 ? keyValue(latest) : undefined;
    });
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const stmts = this.#statements();
    return this.#read(() => this.#list(stmts, prefix, options));
  }

  #list(stmts: Statements, prefix: string, options: ListOptions): ListResult {
    const revision = options.revision || this.#revision;
    this.#checkReadable(revision);
    const start = options.startKey !== undefined && options.startKey > prefix ? options.startKey : prefix;
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const rows = stmts.list.all({ start, end: prefixEnd(prefix), rev: revision, limit: limit ? limit + 1 : -1 }) as
      unknown as LogRow[];
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { items: rows.map(keyValue), revision, more };
  }

  async count(prefix: string): Promise<number> {
    const stmts = this.#statements();
    return this.#read(() => (stmts.count.get({ start: prefix, end: prefixEnd(prefix) }) as { n: number }).n);
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    const stmts = this.#statements();
    return this.#write(() => {
      const latest = stmts.latest.get(key) as LogRow | undefined;
      if (!latest || latest.deleted !== 0) throw new KeyNotFoundError(key);
      if (latest.id !== expectedRevision) throw new ConflictError(key, latest.id);
      const rev = this.#append(key, 0, latest.create_revision, latest.id, value);
      const kv = keyValue({ id: rev, name: key, create_revision: latest.create_revision, value });
      this.#notify({ type: 'put', kv, prevKv: keyValue(latest) });
      return kv;
    });
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    const stmts = this.#statements();
    return this.#write(() => {
      const latest = stmts.latest.get(key) as LogRow | undefined;
      if (!latest || latest.deleted !== 0) throw new KeyNotFoundError(key);
      if (expectedRevision !== undefined && latest.id !== expectedRevision) throw new ConflictError(key, latest.id);
      const rev = this.#append(key, 1, latest.create_revision, latest.id, latest.value);
      const kv = keyValue({ id: rev, name: key, create_revision: latest.create_revision, value: latest.value });
      this.#notify({ type: 'delete', kv, prevKv: keyValue(latest) });
      return kv;
    });
  }

  async watch(prefix: string, afterRevision: number, onEvents: (events: WatchEvent[]) => void): Promise<Watcher> {
    const stmts = this.#statements();
    if (this.#failed) throw this.#failed;
    // Like etcd: a watch may start at the compacted revision itself, i.e. after the one before it.
    if (afterRevision + 1 < this.#compacted) throw new CompactedError(afterRevision, this.#compacted);
    const w: LiveWatch = { prefix, afterRevision, onEvents, pending: [], scheduled: false, cancelled: false };
    // Replay and registration happen in one synchronous step, so no write can fall between them. The replay
    // stops at what is on disk; later changes are held back and reach this watcher with everyone's.
    if (afterRevision < this.#released) {
      const rows = stmts.history.all({ after: afterRevision, upto: this.#released, start: prefix, end: prefixEnd(prefix) }) as
        unknown as HistoryRow[];
      for (const row of rows) this.#enqueue(w, historyEvent(row));
    }
    this.#watchers.add(w);
    return {
      cancel: () => {
        w.cancelled = true;
        this.#watchers.delete(w);
      },
    };
  }

  async compact(revision: number): Promise<void> {
    const db = this.#database();
    const stmts = this.#statements();
    if (revision > this.#revision) {
      throw new Error(`cannot compact at revision ${revision}: it is a future revision (current revision ${this.#revision})`);
    }
    if (revision <= this.#compacted) return;
    if (this.#failed) throw this.#failed;
    // Compaction need not wait for a sync: if a crash loses it, history is just kept longer.
    db.exec('BEGIN IMMEDIATE');
    try {
      stmts.compact.run({ rev: revision });
      stmts.setMeta.run('compacted', revision);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    this.#compacted = revision;
  }

  async compactedRevision(): Promise<number> {
    this.#statements();
    return this.#compacted;
  }

  #database(): DatabaseSync {
    if (!this.#db) throw new Error('sqlite backend is not started');
    return this.#db;
  }

  #statements(): Statements {
    if (!this.#stmts) throw new Error('sqlite backend is not started');
    return this.#stmts;
  }

  #checkReadable(revision: number): void {
    if (revision < this.#compacted) throw new CompactedError(revision, this.#compacted);
    if (revision > this.#revision) {
      throw new Error(`required revision ${revision} is a future revision (current revision ${this.#revision})`);
    }
  }

  /** Appends one row and returns its revision; the row is durable after the next sync. */
  #append(key: string, deleted: number, createRevision: number | undefined, prevRevision: number, value: string): number {
    // One process owns the file (exclusive lock), so the next id is known without asking SQLite.
    const rev = this.#revision + 1;
    this.#statements().insert.run(rev, key, deleted, createRevision ?? rev, prevRevision, value);
    this.#revision = rev;
    return rev;
  }

  #notify(event: WatchEvent): void {
    this.#held.push(event);
    if (this.#deferring > 0) this.#release(event.kv.modRevision);
  }

  /** Hands the held changes up to `revision` (on disk, or under deferSync) to the watchers, in revision order. */
  #release(revision: number): void {
    let n = 0;
    while (n < this.#held.length && this.#held[n].kv.modRevision <= revision) n++;
    this.#released = Math.max(this.#released, Math.min(revision, this.#revision));
    for (const event of this.#held.splice(0, n)) {
      for (const w of this.#watchers) {
        if (event.kv.modRevision > w.afterRevision && event.kv.key.startsWith(w.prefix)) this.#enqueue(w, event);
      }
    }
  }

  #enqueue(w: LiveWatch, event: WatchEvent): void {
    w.pending.push(event);
    if (w.scheduled) return;
    w.scheduled = true;
    // Delivery is deferred so a watcher that writes from its callback cannot reorder other watchers' events.
    queueMicrotask(() => {
      w.scheduled = false;
      if (w.cancelled) return;
      const events = w.pending;
      w.pending = [];
      w.onEvents(events);
    });
  }
}

function historyEvent(row: HistoryRow): WatchEvent {
  const kv = keyValue(row);
  const prevKv =
    row.p_id === null ? undefined : keyValue({ id: row.p_id, name: row.name, create_revision: row.p_create_revision!, value: row.p_value! });
  const event: WatchEvent = { type: row.deleted ? 'delete' : 'put', kv };
  if (prevKv) event.prevKv = prevKv;
  return event;
}
