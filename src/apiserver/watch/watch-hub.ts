// One datastore watch for the whole registry, decoded once and fanned out to every API watcher, with a replay window.
import type { Backend, WatchEvent, Watcher } from '../../storage/backend.ts';
import type { Codec } from '../registry/codec.ts';
import type { KObject } from '../registry/kobject.ts';

export interface ObjectEvent {
  type: 'put' | 'delete';
  key: string;
  revision: number;
  object: KObject;
  prev?: KObject;
  created: boolean;
}

type Listener = (events: ObjectEvent[]) => void;

interface Subscription {
  prefix: string;
  listener: Listener;
  onClose: (err: Error) => void;
}

const windowSize = 20_000;

export class WatchHub {
  readonly #backend: Backend;
  readonly #codec: Codec;
  readonly #subs = new Set<Subscription>();
  /**
   * The replay window holds the datastore's events as they came (JSON text), not decoded: a decoded object takes
   * several times the memory of its text, and only a watch that starts behind the present decodes them again.
   */
  #window: WatchEvent[] = [];
  /** Events after this revision are all in the window (or still to come). */
  #windowFrom = 0;
  #revision = 0;
  #watcher: Watcher | undefined;

  constructor(backend: Backend, codec: Codec) {
    this.#backend = backend;
    this.#codec = codec;
  }

  get revision(): number {
    return this.#revision;
  }

  async start(): Promise<void> {
    this.#revision = await this.#backend.currentRevision();
    this.#windowFrom = this.#revision;
    this.#window = [];
    this.#watcher = await this.#backend.watch(
      '/registry/',
      this.#revision,
      (evs) => this.#onEvents(evs),
      (err) => void this.#restart(err),
    );
  }

  #stopped = false;

  /** The datastore watch died: every API watch ends (clients relist, as after a 410) and the hub starts afresh. */
  async #restart(err: Error): Promise<void> {
    if (this.#stopped) return;
    this.#watcher?.cancel();
    const subs = [...this.#subs];
    this.#subs.clear();
    for (const s of subs) s.onClose(err);
    for (;;) {
      try {
        await this.start();
        return;
      } catch {
        if (this.#stopped) return;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#watcher?.cancel();
    this.#subs.clear();
  }

  /** Resolves once the hub has seen the given revision (writes are visible to watchers before their reply). */
  #waiters: { rev: number; resolve: () => void }[] = [];
  waitFor(rev: number): Promise<void> {
    if (this.#revision >= rev) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ rev, resolve }));
  }

  #decode(ev: WatchEvent): ObjectEvent {
    const object = this.#codec.decode(ev.kv);
    const prev = ev.prevKv ? this.#codec.decode(ev.prevKv) : undefined;
    if (ev.type === 'delete') object.metadata.resourceVersion = String(ev.kv.modRevision);
    return {
      type: ev.type,
      key: ev.kv.key,
      revision: ev.kv.modRevision,
      object,
      prev,
      created: ev.type === 'put' && ev.kv.createRevision === ev.kv.modRevision,
    };
  }

  #onEvents(raw: WatchEvent[]): void {
    const events = raw.map((e) => this.#decode(e));
    for (const e of raw) this.#window.push(e);
    if (this.#window.length > windowSize) {
      const drop = this.#window.length - windowSize;
      this.#windowFrom = this.#window[drop - 1].kv.modRevision;
      this.#window = this.#window.slice(drop);
    }
    if (events.length) this.#revision = events[events.length - 1].revision;
    for (const s of this.#subs) {
      const mine = events.filter((e) => e.key.startsWith(s.prefix));
      if (mine.length) s.listener(mine);
    }
    if (this.#waiters.length) {
      const still = [];
      for (const w of this.#waiters) (w.rev <= this.#revision ? w.resolve() : still.push(w));
      this.#waiters = still;
    }
  }

  /** History before `revision` is gone: replays from before it must fail like the datastore's. */
  compacted(revision: number): void {
    if (revision - 1 <= this.#windowFrom) return;
    this.#window = this.#window.filter((e) => e.kv.modRevision >= revision);
    this.#windowFrom = revision - 1;
  }

  /**
   * Calls `listener` with every change under `prefix` after `afterRevision`. Falls back to a datastore watch
   * when the revision is older than the replay window; that throws CompactedError when history is gone.
   */
  async subscribe(prefix: string, afterRevision: number, listener: Listener, onClose: (err: Error) => void): Promise<() => void> {
    if (afterRevision >= this.#windowFrom) {
      const backlog = this.#window.filter((e) => e.kv.modRevision > afterRevision && e.kv.key.startsWith(prefix)).map((e) => this.#decode(e));
      const sub = { prefix, listener, onClose };
      if (backlog.length) listener(backlog);
      this.#subs.add(sub);
      return () => this.#subs.delete(sub);
    }
    const w = await this.#backend.watch(prefix, afterRevision, (evs) => listener(evs.map((e) => this.#decode(e))), onClose);
    return () => w.cancel();
  }
}
