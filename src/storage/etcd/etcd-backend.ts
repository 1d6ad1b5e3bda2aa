// The external datastore: the Backend interface mapped onto etcd v3 transactions, ranges and watch streams.
import {
  Etcd3,
  type ICompare,
  type IDuplexStream,
  type IEvent,
  type IKeyValue,
  type IWatchRequest,
  type IWatchResponse,
} from 'etcd3';
import type { Backend, KeyValue, ListOptions, ListResult, WatchEvent, Watcher } from '../backend.ts';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError } from '../errors.ts';

const COMPACTED_MESSAGE = 'required revision has been compacted';
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

function isCompacted(err: unknown): boolean {
  return err instanceof Error && err.message.includes(COMPACTED_MESSAGE);
}

/** The smallest key greater than every key that starts with `prefix` (etcd's "\0" means "to the end"). */
function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

interface WatchStream {
  /** The first revision not delivered yet; a reconnect resumes from here. */
  next: number;
  key: Buffer;
  rangeEnd: Buffer;
  onEvents: (events: WatchEvent[]) => void;
  onError: ((err: Error) => void) | undefined;
  stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  retryDelay: number;
  retryTimer: NodeJS.Timeout | undefined;
  /** Set once etcd first created the watch; after that, failures go to onError instead of watch(). */
  established: boolean;
  cancelled: boolean;
}

export class EtcdBackend implements Backend {
  readonly name = 'etcd';
  readonly #endpoint: string;
  readonly #prefix: string;
  #client: Etcd3 | undefined;
  /** A lower bound of etcd's compacted revision, which only ever grows. */
  #knownCompacted = 0;
  readonly #watches = new Set<WatchStream>();

  constructor(options: { endpoint: string; prefix?: string }) {
    this.#endpoint = options.endpoint;
    this.#prefix = (options.prefix ?? '').replace(/\/+$/, '');
  }

  get endpoint(): string {
    return this.#endpoint;
  }

  /** What every stored key starts with, without a trailing slash. */
  get prefix(): string {
    return this.#prefix;
  }

  async start(): Promise<void> {
    if (this.#client) return;
    const client = new Etcd3({
      hosts: this.#endpoint,
      dialTimeout: 5_000,
      // Lists of a large cluster can exceed gRPC's 4 MiB default.
      grpcOptions: { 'grpc.max_receive_message_length': -1 },
    });
    this.#client = client;
    try {
      await this.currentRevision();
    } catch (err) {
      this.#client = undefined;
      client.close();
      throw new Error(`cannot reach etcd at ${this.#endpoint}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    for (const w of this.#watches) this.#stop(w);
    this.#watches.clear();
    this.#client?.close();
    this.#client = undefined;
  }

  async currentRevision(): Promise<number> {
    const res = await this.#kv().range({ key: this.#rangeStart(''), count_only: true });
    return Number(res.header.revision);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    if (this.#prefix && !key.startsWith('/')) {
      throw new Error(`etcd backend keys must start with "/" (got ${JSON.stringify(key)})`);
    }
    const k = this.#key(key);
    const res = await this.#kv().txn({
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value) } }],
      failure: [],
    });
    if (!res.succeeded) throw new KeyExistsError(key);
    const revision = Number(res.header.revision);
    return Object.freeze({ key, value, createRevision: revision, modRevision: revision });
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.#kv().range({ key: this.#key(key) });
    const kv = res.kvs[0];
    return kv ? this.#keyValue(kv) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const revision = options.revision || 0;
    const start = options.startKey !== undefined && options.startKey > prefix ? options.startKey : prefix;
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    let res;
    try {
      res = await this.#kv().range({
        key: start === prefix ? this.#rangeStart(prefix) : this.#key(start),
        range_end: this.#rangeEnd(prefix),
        revision,
        limit,
      });
    } catch (err) {
      if (isCompacted(err)) throw new CompactedError(revision, await this.compactedRevision());
      throw err;
    }
    return {
      items: res.kvs.map((kv) => this.#keyValue(kv)),
      revision: revision || Number(res.header.revision),
      more: res.more,
    };
  }

  async count(prefix: string): Promise<number> {
    const res = await this.#kv().range({
      key: this.#rangeStart(prefix),
      range_end: this.#rangeEnd(prefix),
      count_only: true,
    });
    return Number(res.count);
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    const k = this.#key(key);
    const res = await this.#kv().txn({
      compare: [...this.#exists(k), { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedRevision }],
      success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) this.#throwGuardFailure(key, res.responses[0]?.response_range.kvs[0]);
    const previous = res.responses[0]!.response_put.prev_kv;
    return Object.freeze({
      key,
      value,
      createRevision: Number(previous.create_revision),
      modRevision: Number(res.header.revision),
    });
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    const k = this.#key(key);
    const guard: ICompare[] = this.#exists(k);
    if (expectedRevision !== undefined) {
      guard.push({ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedRevision });
    }
    const res = await this.#kv().txn({
      compare: guard,
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) this.#throwGuardFailure(key, res.responses[0]?.response_range.kvs[0]);
    const previous = res.responses[0]!.response_delete_range.prev_kvs[0]!;
    return Object.freeze({
      key,
      value: previous.value.toString(),
      createRevision: Number(previous.create_revision),
      modRevision: Number(res.header.revision),
    });
  }

  /**
   * Like Backend.watch; `onError` learns when etcd ends the watch for good (history compacted while the
   * watch was catching up or reconnecting), since no further events can be delivered without a gap.
   */
  async watch(
    prefix: string,
    afterRevision: number,
    onEvents: (events: WatchEvent[]) => void,
    onError?: (err: Error) => void,
  ): Promise<Watcher> {
    // etcd accepts a watch on compacted history and cancels it a moment later, so ask first.
    try {
      await this.#kv().range({ key: this.#rangeStart(prefix), revision: afterRevision + 1, count_only: true });
    } catch (err) {
      if (isCompacted(err)) throw new CompactedError(afterRevision, await this.compactedRevision());
      if (!(err instanceof Error && err.message.includes('future revision'))) throw err;
    }
    const w: WatchStream = {
      next: afterRevision + 1,
      key: this.#rangeStart(prefix),
      rangeEnd: this.#rangeEnd(prefix),
      onEvents,
      onError,
      stream: undefined,
      retryDelay: RECONNECT_MIN_MS,
      retryTimer: undefined,
      established: false,
      cancelled: false,
    };
    this.#watches.add(w);
    try {
      await this.#open(w);
    } catch (err) {
      this.#watches.delete(w);
      this.#stop(w);
      throw err;
    }
    return {
      cancel: () => {
        this.#watches.delete(w);
        this.#stop(w);
      },
    };
  }

  async compact(revision: number): Promise<void> {
    try {
      // physical: wait until etcd has really removed the history, so reads see the new state at once.
      await this.#kv().compact({ revision, physical: true });
    } catch (err) {
      if (isCompacted(err)) return;
      throw err;
    }
    if (revision > this.#knownCompacted) this.#knownCompacted = revision;
  }

  async compactedRevision(): Promise<number> {
    // etcd does not report its compacted revision, but a read at any older revision fails: binary search
    // for the oldest readable revision, starting from what is already known.
    const probe = this.#rangeStart('');
    const readable = async (revision: number): Promise<boolean> => {
      try {
        await this.#kv().range({ key: probe, revision, count_only: true });
        return true;
      } catch (err) {
        if (isCompacted(err)) return false;
        throw err;
      }
    };
    let low = Math.max(this.#knownCompacted, 1);
    if (await readable(low)) return this.#knownCompacted;
    let high = await this.currentRevision();
    // Invariant: `low` is not readable, `high` is.
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (await readable(middle)) high = middle;
      else low = middle;
    }
    this.#knownCompacted = Math.max(this.#knownCompacted, high);
    return high;
  }

  #kv(): Etcd3['kv'] {
    if (!this.#client) throw new Error('etcd backend is not started');
    return this.#client.kv;
  }

  #key(key: string): Buffer {
    return Buffer.from(this.#prefix + key);
  }

  /**
   * The first stored key of a prefix listing: with a backend prefix such as "/dabba", all keys start with
   * "/", so listing "" must mean "/dabba/" or it would also take in a neighbour such as "/dabba-old/".
   */
  #prefixKey(prefix: string): Buffer {
    return this.#key(this.#prefix && prefix === '' ? '/' : prefix);
  }

  #rangeStart(prefix: string): Buffer {
    const start = this.#prefixKey(prefix);
    // etcd reads an empty key as "no key"; "\0" is the smallest key there is.
    return start.length > 0 ? start : Buffer.from([0]);
  }

  #rangeEnd(prefix: string): Buffer {
    return prefixEnd(this.#prefixKey(prefix));
  }

  #exists(k: Buffer): ICompare[] {
    return [{ key: k, target: 'Create', result: 'Greater', create_revision: 0 }];
  }

  #throwGuardFailure(key: string, current: IKeyValue | undefined): never {
    if (!current) throw new KeyNotFoundError(key);
    throw new ConflictError(key, Number(current.mod_revision));
  }

  #keyValue(kv: IKeyValue): KeyValue {
    return Object.freeze({
      key: kv.key.toString().slice(this.#prefix.length),
      value: kv.value.toString(),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    });
  }

  #event(e: IEvent): WatchEvent {
    const prevKv = e.prev_kv ? this.#keyValue(e.prev_kv) : undefined;
    let kv: KeyValue;
    if (e.type === 'Delete') {
      // etcd's delete event carries only the key and revision; the interface wants the last value.
      kv = Object.freeze({
        key: e.kv.key.toString().slice(this.#prefix.length),
        value: prevKv?.value ?? '',
        createRevision: prevKv?.createRevision ?? 0,
        modRevision: Number(e.kv.mod_revision),
      });
    } else {
      kv = this.#keyValue(e.kv);
    }
    const event: WatchEvent = { type: e.type === 'Delete' ? 'delete' : 'put', kv };
    if (prevKv) event.prevKv = prevKv;
    return event;
  }

  /** Opens one gRPC watch stream for `w` from `w.next`; resolves once etcd has created the watch. */
  async #open(w: WatchStream): Promise<void> {
    if (!this.#client) throw new Error('etcd backend is not started');
    const stream = await this.#client.watchClient.watch();
    if (w.cancelled) {
      stream.cancel();
      return;
    }
    w.stream = stream;
    await new Promise<void>((resolve, reject) => {
      let created = false;
      const fail = (err: Error) => {
        this.#stop(w);
        this.#watches.delete(w);
        if (w.established) {
          if (w.onError) w.onError(err);
          else process.emitWarning(err);
        }
        if (!created) reject(err);
      };
      stream.on('data', (res: IWatchResponse) => {
        if (w.cancelled || w.stream !== stream) return;
        const compactedAt = Number(res.compact_revision ?? 0);
        if (compactedAt > 0) {
          this.#knownCompacted = Math.max(this.#knownCompacted, compactedAt);
          fail(new CompactedError(w.next - 1, compactedAt));
          return;
        }
        if (res.canceled) {
          fail(new Error(`etcd cancelled the watch: ${res.cancel_reason || 'no reason given'}`));
          return;
        }
        if (res.created && !created) {
          created = true;
          w.established = true;
          w.retryDelay = RECONNECT_MIN_MS;
          resolve();
        }
        if (res.events.length === 0) return;
        const events = res.events.map((e) => this.#event(e));
        w.next = events.at(-1)!.kv.modRevision + 1;
        // Delivered outside the gRPC callback, in order, so a throwing handler cannot break the stream.
        queueMicrotask(() => {
          if (!w.cancelled) w.onEvents(events);
        });
      });
      const lost = (err: Error) => {
        if (w.cancelled || w.stream !== stream) return;
        w.stream = undefined;
        if (created) this.#reconnect(w);
        else reject(err);
      };
      stream.on('error', lost);
      stream.on('end', () => lost(new Error('etcd closed the watch stream')));
      stream.write({
        create_request: { key: w.key, range_end: w.rangeEnd, start_revision: w.next, prev_kv: true },
      });
    });
  }

  #reconnect(w: WatchStream): void {
    const delay = w.retryDelay;
    w.retryDelay = Math.min(w.retryDelay * 2, RECONNECT_MAX_MS);
    w.retryTimer = setTimeout(() => {
      w.retryTimer = undefined;
      if (w.cancelled) return;
      this.#open(w).catch(() => {
        if (!w.cancelled) this.#reconnect(w);
      });
    }, delay);
  }

  #stop(w: WatchStream): void {
    w.cancelled = true;
    if (w.retryTimer) clearTimeout(w.retryTimer);
    w.retryTimer = undefined;
    const stream = w.stream;
    w.stream = undefined;
    stream?.cancel();
  }
}
