// Table columns for core/v1 Events: when last and first seen, type, reason, involved object, source, message, count.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age, parseTimestamp } from '../../../registry/human-duration.ts';
import { column, nameColumn } from '../../../registry/table-cells.ts';

interface CoreEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string | null } | null;
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
  /** The reporting controller; core/v1 names it reportingComponent on the wire. */
  reportingComponent?: string;
  reportingInstance?: string;
}

/** `kind/name` in lower-case kind, or the kind alone for an event about a kind as a whole. */
function involvedObject(ref: CoreEvent['involvedObject']): string {
  const kind = (ref?.kind ?? '').toLowerCase();
  return ref?.name ? `${kind}/${ref.name}` : kind;
}

/** `component, host`, each falling back to the events.k8s.io reporting fields; the host part is left out when empty. */
function eventSource(event: CoreEvent): string {
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return instance === '' ? component : `${component}, ${instance}`;
}

export const printer: Printer = {
  // Upstream puts Name last and only in wide output: the involved object identifies an event better.
  columns: [
    column('Last Seen', 'string', 'Time since the event last happened.'),
    column('Type', 'string', 'Normal or Warning.'),
    column('Reason', 'string', 'Short machine-readable cause of the event.'),
    column('Object', 'string', 'Object the event is about.'),
    column('Subobject', 'string', 'Part of the object the event is about, such as a container.', 1),
    column('Source', 'string', 'Component, and host, that reported the event.', 1),
    column('Message', 'string', 'Human-readable description of the event.'),
    column('First Seen', 'string', 'Time since the event first happened.', 1),
    column('Count', 'string', 'Number of times the event happened.', 1),
    nameColumn(1),
  ],
  row(obj: KObject, now: Date): unknown[] {
    const event = obj as KObject & CoreEvent;
    // Events recorded through events.k8s.io carry eventTime and series instead of the first/last timestamps and count.
    const firstSeen = age(parseTimestamp(event.firstTimestamp) === undefined ? event.eventTime : event.firstTimestamp, now);
    let lastSeen = parseTimestamp(event.lastTimestamp) === undefined ? firstSeen : age(event.lastTimestamp, now);
    let count = event.count ?? 0;
    if (event.series) {
      lastSeen = age(event.series.lastObservedTime, now);
      count = event.series.count ?? 0;
    } else if (count === 0) {
      count = 1;
    }
    return [
      lastSeen,
      event.type ?? '',
      event.reason ?? '',
      involvedObject(event.involvedObject),
      event.involvedObject?.fieldPath ?? '',
      eventSource(event),
      (event.message ?? '').trim(),
      firstSeen,
      count,
      event.metadata.name ?? '',
    ];
  },
};
