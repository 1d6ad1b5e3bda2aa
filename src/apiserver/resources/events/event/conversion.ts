// Conversion between events.k8s.io/v1 Events and the core/v1 Events they are stored as.
import type { KObject } from '../../../registry/kobject.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const present = (v: unknown): boolean => v !== undefined && v !== null;
const nonEmpty = (v: unknown): boolean => present(v) && v !== '' && v !== 0;

/** Copies `from[key]` to `to[as]` when Go would serialize it (an omitempty field with a non-zero value). */
function copyOmitEmpty(to: Json, as: string, from: Json, key: string): void {
  if (nonEmpty(from?.[key])) to[as] = structuredClone(from[key]);
}

const objOrEmpty = (v: unknown): Json => (v !== null && typeof v === 'object' ? structuredClone(v) : {});
const timeOrNull = (v: unknown): Json => (present(v) && v !== '' ? v : null);

/** Convert_core_Event_To_v1_Event: core/v1 Event → events.k8s.io/v1 Event, shaped as upstream serializes it. */
export function fromCore(ev: KObject): KObject {
  const out: Json = { kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata: structuredClone(ev.metadata) };
  out.eventTime = timeOrNull(ev.eventTime);
  if (present(ev.series)) {
    out.series = { count: ev.series.count ?? 0, lastObservedTime: timeOrNull(ev.series.lastObservedTime) };
  }
  copyOmitEmpty(out, 'reportingController', ev, 'reportingComponent');
  copyOmitEmpty(out, 'reportingInstance', ev, 'reportingInstance');
  copyOmitEmpty(out, 'action', ev, 'action');
  copyOmitEmpty(out, 'reason', ev, 'reason');
  out.regarding = objOrEmpty(ev.involvedObject);
  if (present(ev.related)) out.related = structuredClone(ev.related);
  copyOmitEmpty(out, 'note', ev, 'message');
  copyOmitEmpty(out, 'type', ev, 'type');
  out.deprecatedSource = objOrEmpty(ev.source);
  out.deprecatedFirstTimestamp = timeOrNull(ev.firstTimestamp);
  out.deprecatedLastTimestamp = timeOrNull(ev.lastTimestamp);
  copyOmitEmpty(out, 'deprecatedCount', ev, 'count');
  return out as KObject;
}

/** Convert_v1_Event_To_core_Event: events.k8s.io/v1 Event → the core/v1 Event stored for it. */
export function toCore(ev: KObject): KObject {
  const out: Json = { kind: 'Event', apiVersion: 'v1', metadata: structuredClone(ev.metadata) };
  out.involvedObject = objOrEmpty(ev.regarding);
  copyOmitEmpty(out, 'reason', ev, 'reason');
  copyOmitEmpty(out, 'message', ev, 'note');
  out.source = objOrEmpty(ev.deprecatedSource);
  out.firstTimestamp = timeOrNull(ev.deprecatedFirstTimestamp);
  out.lastTimestamp = timeOrNull(ev.deprecatedLastTimestamp);
  copyOmitEmpty(out, 'count', ev, 'deprecatedCount');
  copyOmitEmpty(out, 'type', ev, 'type');
  out.eventTime = timeOrNull(ev.eventTime);
  if (present(ev.series)) {
    const series: Json = {};
    if (nonEmpty(ev.series.count)) series.count = ev.series.count;
    series.lastObservedTime = timeOrNull(ev.series.lastObservedTime);
    out.series = series;
  }
  copyOmitEmpty(out, 'action', ev, 'action');
  if (present(ev.related)) out.related = structuredClone(ev.related);
  out.reportingComponent = typeof ev.reportingController === 'string' ? ev.reportingController : '';
  out.reportingInstance = typeof ev.reportingInstance === 'string' ? ev.reportingInstance : '';
  return out as KObject;
}

/** Whether an object is in events.k8s.io form rather than the stored core/v1 form. */
export const isEventsV1 = (ev: KObject): boolean => typeof ev.apiVersion === 'string' && ev.apiVersion.startsWith('events.k8s.io/');
