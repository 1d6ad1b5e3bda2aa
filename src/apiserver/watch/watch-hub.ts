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
}

const windowSize = 20_000;

export class WatchHub {
  readonly #backend: Backend;
  readonly #codec: Codec;
  readonly #subs = new Set<Subscription>();
  #window: ObjectEvent[] = [];
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
    this.#watcher = await this.#backend.watch('/registry/', this.#revision, (evs) => this.#onEvents(evs));
  }

  stop(): void {
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
    for (const e of events) this.#window.push(e);
    if (this.#window.length > windowSize) {
      const drop = this.#window.length - windowSize;
      this.#windowFrom = this.#window[drop - 1].revision;
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

  /**
   * Calls `listener` with every change under `prefix` after `afterRevision`. Falls back to a datastore watch
   * when the revision is older than the replay window; that throws CompactedError when history is gone.
   */
  async subscribe(prefix: string, afterRevision: number, listener: Listener): Promise<() => void> {
    if (afterRevision >= this.#windowFrom) {
      const backlog = this.#window.filter((e) => e.revision > afterRevision && e.key.startsWith(prefix));
      const sub = { prefix, listener };
      if (backlog.length) listener(backlog);
      this.#subs.add(sub);
      return () => this.#subs.delete(sub);
    }
    const w = await this.#backend.watch(prefix, afterRevision, (evs) => listener(evs.map((e) => this.#decode(e))));
    return () => w.cancel();
  }
}
