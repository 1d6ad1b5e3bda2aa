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
