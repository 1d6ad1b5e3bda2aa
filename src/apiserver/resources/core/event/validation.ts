// Upstream validation for Events: the legacy rules every write passes, and the strict rules of events.k8s.io/v1.
import {
  type FieldError,
  FieldPath,
  GoRepr,
  fieldInvalid,
  fieldRequired,
} from '../../../../machinery/field-errors.ts';
import { isDNS1123Subdomain, isQualifiedName } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';

// Limits of events.k8s.io fields, checked on new-style events (those with an eventTime).
const reportingInstanceLengthLimit = 128;
const actionLengthLimit = 128;
const reasonLengthLimit = 128;
const noteLengthLimit = 1024;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
/** A metav1.Time / MicroTime that is unset (JSON null or absent) is Go's zero time. */
const isZeroTime = (v: unknown): boolean => v === undefined || v === null || v === '';
/** Byte length, as Go's len() of a string. */
const len = (s: string): number => Buffer.byteLength(s, 'utf8');

/** legacyValidateEvent: every Event, whatever the API version it is written through. Works on core/v1 form. */
export function validateCreate(ev: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = ev.metadata.namespace ?? '';
  const involved = obj(ev.involvedObject);
  const involvedNamespace = str(involved.namespace);
  const mismatch = () =>
    fieldInvalid(FieldPath.root('involvedObject').child('namespace'), involvedNamespace, 'does not match event.namespace');

  if (isZeroTime(ev.eventTime)) {
    // An old-style event: its namespace must agree with the involved object's ("default" for cluster objects).
    if (involvedNamespace === '') {
      if (namespace !== '' && namespace !== 'default') errs.push(mismatch());
    } else if (namespace !== involvedNamespace) errs.push(mismatch());
  } else {
    if (involvedNamespace === '' && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch());
    const controller = str(ev.reportingComponent);
    if (controller === '') errs.push(fieldRequired('reportingController'));
    for (const msg of isQualifiedName(controller)) errs.push(fieldInvalid('reportingController', controller, msg));
    const instance = str(ev.reportingInstance);
    if (instance === '') errs.push(fieldRequired('reportingInstance'));
    if (len(instance) > reportingInstanceLengthLimit) {
      errs.push(fieldInvalid('reportingInstance', '', `can have at most ${reportingInstanceLengthLimit} characters`));
    }
    const action = str(ev.action);
    if (action === '') errs.push(fieldRequired('action'));
    if (len(action) > actionLengthLimit) errs.push(fieldInvalid('action', '', `can have at most ${actionLengthLimit} characters`));
    const reason = str(ev.reason);
    if (reason === '') errs.push(fieldRequired('reason'));
    if (len(reason) > reasonLengthLimit) errs.push(fieldInvalid('reason', '', `can have at most ${reasonLengthLimit} characters`));
    if (len(str(ev.message)) > noteLengthLimit) {
      errs.push(fieldInvalid('message', '', `can have at most ${noteLengthLimit} characters`));
    }
  }
  for (const msg of isDNS1123Subdomain(namespace)) errs.push(fieldInvalid('namespace', namespace, msg));
  return errs;
}

/** Updates through core/v1 get the legacy rules only, for backward compatibility. */
export function validateUpdate(ev: KObject, _old: KObject): FieldError[] {
  return validateCreate(ev);
}

function validateSeries(ev: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (ev.series !== undefined && ev.series !== null) {
    const series = obj(ev.series);
    if (!(typeof series.count === 'number' && series.count >= 2)) {
      errs.push(fieldInvalid('series.count', '', 'should be at least 2'));
    }
    if (isZeroTime(series.lastObservedTime)) errs.push(fieldRequired('series.lastObservedTime'));
  }
  return errs;
}

/** ValidateEventCreate for events.k8s.io/v1 requests, on the core/v1 form the object is stored in. */
export function validateStrictCreate(ev: KObject): FieldError[] {
  const errs = validateCreate(ev);
  errs.push(...validateSeries(ev));
  if (isZeroTime(ev.eventTime)) errs.push(fieldRequired('eventTime'));
  const type = str(ev.type);
  if (type !== 'Normal' && type !== 'Warning') errs.push(fieldInvalid('type', '', `has invalid value: ${type}`));
  if (!isZeroTime(ev.firstTimestamp)) errs.push(fieldInvalid('firstTimestamp', '', 'needs to be unset'));
  if (!isZeroTime(ev.lastTimestamp)) errs.push(fieldInvalid('lastTimestamp', '', 'needs to be unset'));
  if (typeof ev.count === 'number' && ev.count !== 0) errs.push(fieldInvalid('count', '', 'needs to be unset'));
  const source = obj(ev.source);
  if (str(source.component) !== '' || str(source.host) !== '') errs.push(fieldInvalid('source', '', 'needs to be unset'));
  return errs;
}

/** ValidateEventUpdate for events.k8s.io/v1 requests: everything but the series is immutable. */
export function validateStrictUpdate(ev: KObject, old: KObject): FieldError[] {
  const errs = validateCreate(ev);
  if (!sameJSON(ev.series ?? null, old.series ?? null)) errs.push(...validateSeries(ev));
  const immutable = (path: string, now: unknown, before: unknown, repr: (v: unknown) => unknown) => {
    if (!sameJSON(now, before)) errs.push(fieldInvalid(path, repr(now), 'field is immutable'));
  };
  const plain = (v: unknown) => v;
  immutable('involvedObject', normRef(ev.involvedObject), normRef(old.involvedObject), (v) => goObjectReference(v));
  immutable('reason', str(ev.reason), str(old.reason), plain);
  immutable('message', str(ev.message), str(old.message), plain);
  immutable('source', normSource(ev.source), normSource(old.source), (v) => goEventSource(v));
  immutable('firstTimestamp', timeOrNull(ev.firstTimestamp), timeOrNull(old.firstTimestamp), (v) => goTime(v));
  immutable('lastTimestamp', timeOrNull(ev.lastTimestamp), timeOrNull(old.lastTimestamp), (v) => goTime(v));
  immutable('count', ev.count ?? 0, old.count ?? 0, plain);
  // Upstream checks reason twice.
  immutable('reason', str(ev.reason), str(old.reason), plain);
  immutable('type', str(ev.type), str(old.type), plain);
  immutable('eventTime', timeOrNull(ev.eventTime), timeOrNull(old.eventTime), (v) => goTime(v));
  immutable('action', str(ev.action), str(old.action), plain);
  immutable('related', ev.related ? normRef(ev.related) : null, old.related ? normRef(old.related) : null, (v) =>
    v === null ? null : goObjectReference(v),
  );
  immutable('reportingController', str(ev.reportingComponent), str(old.reportingComponent), plain);
  immutable('reportingInstance', str(ev.reportingInstance), str(old.reportingInstance), plain);
  return errs;
}

const refFields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;
const normRef = (v: unknown): Record<string, string> => {
  const o = obj(v);
  return Object.fromEntries(refFields.map((f) => [f, str(o[f])]));
};
const normSource = (v: unknown) => ({ component: str(obj(v).component), host: str(obj(v).host) });
const timeOrNull = (v: unknown): string | null => (isZeroTime(v) ? null : String(v));

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** %#v of an internal core.ObjectReference, as upstream prints it in "field is immutable" errors. */
export function goObjectReference(v: unknown): GoRepr {
  const r = normRef(v);
  const goNames = ['Kind', 'Namespace', 'Name', 'UID', 'APIVersion', 'ResourceVersion', 'FieldPath'];
  const body = refFields.map((f, i) => `${goNames[i]}:${JSON.stringify(r[f])}`).join(', ');
  return new GoRepr(`core.ObjectReference{${body}}`);
}

function goEventSource(v: unknown): GoRepr {
  const s = normSource(v);
  return new GoRepr(`core.EventSource{Component:${JSON.stringify(s.component)}, Host:${JSON.stringify(s.host)}}`);
}

/** A time as Go's time.Time String() prints it (in UTC): `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function goTime(v: unknown): GoRepr {
  const iso = typeof v === 'string' ? v : '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return new GoRepr('0001-01-01 00:00:00 +0000 UTC');
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  const d = new Date(`${m[1]}T${m[2]}${m[4]}`);
  const utc = d.toISOString().slice(0, 19).replace('T', ' ');
  return new GoRepr(`${utc}${fraction === '.' ? '' : fraction} +0000 UTC`);
}
