// Records events.k8s.io/v1 Events as client-go's tools/events broadcaster does for the scheduler: a repeat of the same
// event becomes a series (count 2 written at once, later counts every 30 min or when the series ends after 6 min).
import type { KObject } from '../apiserver/registry/kobject.ts';
import type { Logger } from '../server/logger.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Where events go: the events.k8s.io/v1 collection of a namespace. */
export interface EventWriter {
  create(namespace: string, event: KObject): Promise<KObject>;
  /** A merge patch of the series, as upstream's series update. */
  patch(namespace: string, name: string, patch: Json): Promise<KObject>;
}

const finishTimeMs = 6 * 60_000;
const refreshTimeMs = 30 * 60_000;
/** validation.NoteLengthLimit. */
export const noteLengthLimit = 1024;

/** metav1.MicroTime as serialized. */
export const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** The scheduler's truncateMessage: notes longer than the limit end in " ...". */
export function truncateNote(message: string): string {
  if (Buffer.byteLength(message) <= noteLengthLimit) return message;
  const suffix = ' ...';
  return Buffer.from(message).subarray(0, noteLengthLimit - suffix.length).toString('utf8').replace(/\uFFFD$/, '') + suffix;
}

/** reference.GetReference for an object read from the API. */
export function objectReference(o: KObject): Json {
  const ref: Json = { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, uid: o.metadata.uid, apiVersion: o.apiVersion, resourceVersion: o.metadata.resourceVersion };
  for (const k of Object.keys(ref)) if (ref[k] === undefined || ref[k] === '') delete ref[k];
  return ref;
}

export class EventSeriesRecorder {
  readonly #writer: EventWriter;
  readonly #controller: string;
  readonly #instance: string;
  readonly #log: Logger;
  readonly #now: () => Date;
  /** The last event per isomorphic key (action, reason, controller, regarding, related). */
  readonly #cache = new Map<string, KObject>();
  readonly #timers: NodeJS.Timeout[] = [];
  #chain: Promise<void> = Promise.resolve();
  #seq = 0;

  constructor(writer: EventWriter, reporting: { controller: string; instance: string }, log: Logger, now: () => Date = () => new Date()) {
    this.#writer = writer;
    this.#controller = reporting.controller;
    this.#instance = reporting.instance;
    this.#log = log;
    this.#now = now;
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.#timers.push(t);
    };
    every(finishTimeMs, () => this.finishSeries());
    every(refreshTimeMs, () => this.refreshSeries());
  }

  /** recorder.Eventf(regarding, related, type, reason, action, note). */
  eventf(regarding: KObject, related: KObject | undefined, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void {
    const now = this.#now();
    const ref = objectReference(regarding);
    const ev: KObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: `${ref.name}.${this.#nanos(now).toString(16)}`, namespace: ref.namespace || 'default' },
      eventTime: microTime(now),
      reportingController: this.#controller,
      reportingInstance: this.#instance,
      action,
      reason,
      regarding: ref,
      note: truncateNote(note),
      type,
    };
    if (related) ev.related = objectReference(related);
    const key = JSON.stringify([action, reason, this.#controller, ref, ev.related ?? null]);
    const cached = this.#cache.get(key);
    if (!cached) {
      this.#cache.set(key, ev);
      this.#write(key, ev);
      return;
    }
    if (cached.series) {
      cached.series = { count: cached.series.count + 1, lastObservedTime: microTime(now) };
      return;
    }
    cached.series = { count: 2, lastObservedTime: microTime(now) };
    this.#write(key, cached);
  }

  /** Writes every pending series now (the 30-minute refresh). */
  refreshSeries(): void {
    for (const [key, ev] of this.#cache) if (ev.series) this.#write(key, ev);
  }

  /** Ends series not seen for six minutes (writing their final count) and forgets old single events. */
  finishSeries(): void {
    const cutoff = this.#now().getTime() - finishTimeMs;
    for (const [key, ev] of this.#cache) {
      const seen = Date.parse(ev.series ? ev.series.lastObservedTime : ev.eventTime);
      if (seen >= cutoff) continue;
      if (ev.series) this.#write(key, ev);
      this.#cache.delete(key);
    }
  }

  /** Resolves once queued writes are done. */
  flush(): Promise<void> {
    return this.#chain;
  }

  close(): void {
    for (const t of this.#timers) clearInterval(t);
  }

  #nanos(d: Date): bigint {
    return BigInt(d.getTime()) * 1_000_000n + BigInt(this.#seq++ % 1_000_000);
  }

  #write(key: string, ev: KObject): void {
    const snapshot = structuredClone(ev);
    this.#chain = this.#chain
      .then(async () => {
        const ns = snapshot.metadata.namespace!;
        let written: KObject | undefined;
        if (snapshot.series) {
          try {
            written = await this.#writer.patch(ns, snapshot.metadata.name!, { series: snapshot.series });
          } catch (e) {
            if ((e as { status?: number }).status !== 404) throw e;
          }
        }
        written ??= await this.#writer.create(ns, { ...snapshot, metadata: { name: snapshot.metadata.name, namespace: ns } });
        const cached = this.#cache.get(key);
        if (cached && written?.metadata?.name) cached.metadata.name = written.metadata.name;
      })
      .catch((e) => this.#log.error('event not recorded', { reason: snapshot.reason, regarding: snapshot.regarding?.name, error: e instanceof Error ? e.message : String(e) }));
  }
}
