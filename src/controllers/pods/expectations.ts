// Creations and deletions a controller waits to see in its cache before acting again (UIDTrackingControllerExpectations).
/** Upstream's ExpectationsTimeout: an expectation older than this no longer blocks a sync. */
export const expectationsTimeoutMs = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
  /** Keys (namespace/name) of pods whose deletion is expected, so each is observed only once. */
  deleting: Set<string>;
}

export class Expectations {
  readonly #byKey = new Map<string, Expectation>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** True when nothing is pending (or the expectations expired, or were never set): the controller may act. */
  satisfied(key: string): boolean {
    const e = this.#byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.#now() - e.at > expectationsTimeoutMs;
  }

  expectCreations(key: string, n: number): void {
    this.#byKey.set(key, { add: n, del: 0, at: this.#now(), deleting: new Set() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.#byKey.set(key, { add: 0, del: podKeys.length, at: this.#now(), deleting: new Set(podKeys) });
  }

  creationObserved(key: string): void {
    const e = this.#byKey.get(key);
    if (e) e.add--;
  }

  /** Counts a deletion once per pod key, whether seen as a deletionTimestamp update or as the delete itself. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.#byKey.get(key);
    if (e?.deleting.delete(podKey)) e.del--;
  }

  /** Expectations raised for this key that are still pending. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.#byKey.get(key);
    return e && { add: e.add, del: e.del };
  }

  delete(key: string): void {
    this.#byKey.delete(key);
  }
}
