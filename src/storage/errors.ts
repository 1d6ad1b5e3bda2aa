// Typed datastore errors, independent of which backend raised them.

export class KeyExistsError extends Error {
  readonly code = 'STORAGE_KEY_EXISTS';
  readonly key: string;
  constructor(key: string) {
    super(`key exists: ${key}`);
    this.key = key;
  }
}

export class KeyNotFoundError extends Error {
  readonly code = 'STORAGE_KEY_NOT_FOUND';
  readonly key: string;
  constructor(key: string) {
    super(`key not found: ${key}`);
    this.key = key;
  }
}

export class ConflictError extends Error {
  readonly code = 'STORAGE_CONFLICT';
  readonly key: string;
  readonly currentRevision: number;
  constructor(key: string, currentRevision: number) {
    super(`revision conflict on ${key}: stored revision is ${currentRevision}`);
    this.key = key;
    this.currentRevision = currentRevision;
  }
}

export class CompactedError extends Error {
  readonly code = 'STORAGE_COMPACTED';
  readonly requested: number;
  readonly compacted: number;
  constructor(requested: number, compacted: number) {
    super(`required revision ${requested} has been compacted (compacted revision ${compacted})`);
    this.requested = requested;
    this.compacted = compacted;
  }
}

/** The datastore could not make its writes durable (an fsync failed); it refuses every later read and write. */
export class SyncFailedError extends Error {
  readonly code = 'STORAGE_SYNC_FAILED';
  constructor(cause: unknown) {
    super(`datastore sync failed, refusing further requests: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
