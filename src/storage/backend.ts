// The narrow key-value interface every datastore implements: revisioned writes, consistent lists, watch, compaction.

/** One stored key; `modRevision` is the resourceVersion of the object it holds. */
export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export interface WatchEvent {
  type: 'put' | 'delete';
  /** The new value for put; for delete, the last value with `modRevision` set to the deletion revision. */
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface ListOptions {
  /** Start listing at this key (inclusive); used for continue tokens. */
  startKey?: string;
  /** At most this many items; 0 or absent means all. */
  limit?: number;
  /** Read as of this revision; absent means the current revision. Throws CompactedError if compacted. */
  revision?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** Whether more keys follow the last item. */
  more: boolean;
}

export interface Watcher {
  cancel(): void;
}

export interface Backend {
  readonly name: string;
  start(): Promise<void>;
  close(): Promise<void>;
  currentRevision(): Promise<number>;
  /** Creates the key; throws KeyExistsError if present. Returns the new revision. */
  create(key: string, value: string): Promise<KeyValue>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Lists keys with the prefix in key order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Replaces the value if the stored modRevision equals `expectedRevision`; else throws ConflictError / KeyNotFoundError. */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>;
  /** Deletes the key (guarded when `expectedRevision` is given); returns the deleted value with the deletion revision. */
  delete(key: string, expectedRevision?: number): Promise<KeyValue>;
  /**
   * Delivers, in revision order, every change under the prefix with revision > `afterRevision`.
   * Throws CompactedError if `afterRevision` is older than the compacted revision. `onError` hears of a
   * watch that ended for good after it started (e.g. history compacted while reconnecting).
   */
  watch(
    prefix: string,
    afterRevision: number,
    onEvents: (events: WatchEvent[]) => void,
    onError?: (err: Error) => void,
  ): Promise<Watcher>;
  /** Forgets history older than `revision`; lists and watches from before it fail with CompactedError. */
  compact(revision: number): Promise<void>;
  compactedRevision(): Promise<number>;
  /**
   * Runs `work`, whose writes may return before they reach the disk, and makes them all durable before it resolves.
   * For the API server's own bootstrap writes while nobody can see them yet (before its port opens): one sync
   * instead of one per write. Backends without such a mode leave it out and the caller just runs `work`.
   */
  deferSync?<T>(work: () => Promise<T>): Promise<T>;
}
