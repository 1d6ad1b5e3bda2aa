import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';
import { strategy as eventsV1Strategy } from '../../events/event/strategy.ts';

const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());

const oldStyle = (o: Partial<KObject> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.17a', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1' },
  reason: 'Scheduled',
  message: 'Successfully assigned default/web to node-1',
  source: { component: 'default-scheduler' },
  firstTimestamp: '2025-01-01T00:00:00Z',
  lastTimestamp: '2025-01-01T00:00:00Z',
  count: 1,
  type: 'Normal',
  eventTime: null,
  reportingComponent: '',
  reportingInstance: '',
  ...o,
});

const newStyle = (o: Partial<KObject> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.17b', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
  reason: 'Scheduled',
  message: 'assigned',
  source: {},
  firstTimestamp: null,
  lastTimestamp: null,
  type: 'Normal',
  eventTime: '2025-01-01T00:00:00.000000Z',
  action: 'Binding',
  reportingComponent: 'default-scheduler',
  reportingInstance: 'default-scheduler-node-1',
  ...o,
});

test('every event passes the legacy rules', () => {
  const mismatch = (v: string) => `involvedObject.namespace: Invalid value: "${v}": does not match event.namespace`;
  const cases: { name: string; ev: KObject; want: string[] }[] = [
    { name: 'old-style pod event', ev: oldStyle(), want: [] },
    {
      name: 'old-style namespace mismatch',
      ev: oldStyle({ metadata: { name: 'e', namespace: 'swiggy-prod' } }),
      want: [mismatch('default')],
    },
    {
      name: 'old-style cluster object in default',
      ev: oldStyle({ involvedObject: { kind: 'Node', name: 'node-1' } }),
      want: [],
    },
    {
      name: 'old-style cluster object elsewhere',
      ev: oldStyle({ metadata: { name: 'e', namespace: 'swiggy-prod' }, involvedObject: { kind: 'Node', name: 'node-1' } }),
      want: [mismatch('')],
    },
    { name: 'new-style', ev: newStyle(), want: [] },
    {
      name: 'new-style without reporting fields',
      ev: newStyle({ reportingComponent: '', reportingInstance: '', action: '', reason: '' }),
      // Upstream still runs the qualified-name check on the empty controller.
      want: [
        'reportingController: Required value',
        'reportingController: Invalid value: "": name part must be non-empty',
        `reportingController: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        'reportingInstance: Required value',
        'action: Required value',
        'reason: Required value',
      ],
    },
    {
      name: 'new-style bad controller and long fields',
      ev: newStyle({ reportingComponent: 'a b', reportingInstance: 'i'.repeat(129), message: 'm'.repeat(1025) }),
      want: [
        `reportingController: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        'reportingInstance: Invalid value: "": can have at most 128 characters',
        'message: Invalid value: "": can have at most 1024 characters',
      ],
    },
    {
      name: 'new-style cluster object in kube-system',
      ev: newStyle({ metadata: { name: 'e', namespace: 'kube-system' }, involvedObject: { kind: 'Node', name: 'n' } }),
      want: [],
    },
  ];
  for (const c of cases) {
    assert.deepEqual(messages(strategy.validate!(c.ev)), c.want, c.name);
    assert.deepEqual(messages(strategy.validateUpdate!(c.ev, c.ev)), c.want, c.name);
  }
});

test('events.k8s.io/v1 writes get the strict rules, reported in core field names', () => {
  const cases: { name: string; ev: KObject; want: string[] }[] = [
    { name: 'new-style', ev: newStyle(), want: [] },
    {
      name: 'old-style fields set',
      ev: oldStyle({ eventTime: '2025-01-01T00:00:00.000000Z', action: 'A', reportingComponent: 'c', reportingInstance: 'i', type: 'Info' }),
      want: [
        'type: Invalid value: "": has invalid value: Info',
        'firstTimestamp: Invalid value: "": needs to be unset',
        'lastTimestamp: Invalid value: "": needs to be unset',
        'count: Invalid value: "": needs to be unset',
        'source: Invalid value: "": needs to be unset',
      ],
    },
    {
      name: 'bad series, no eventTime',
      ev: newStyle({ eventTime: null, series: { count: 1 }, action: '' }),
      want: ['series.count: Invalid value: "": should be at least 2', 'series.lastObservedTime: Required value', 'eventTime: Required value'],
    },
  ];
  for (const c of cases) assert.deepEqual(messages(eventsV1Strategy.validate!(c.ev)), c.want, c.name);
});

test('events.k8s.io/v1 updates may only change the series', () => {
  const old = newStyle();
  const cases: { name: string; ev: KObject; want: string[] }[] = [
    { name: 'series added', ev: newStyle({ series: { count: 2, lastObservedTime: '2025-01-01T00:01:00.000000Z' } }), want: [] },
    {
      name: 'note and regarding changed',
      ev: newStyle({ message: 'other', involvedObject: { kind: 'Pod', namespace: 'default', name: 'api' } }),
      want: [
        'involvedObject: Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"default", Name:"api", UID:"", APIVersion:"", ResourceVersion:"", FieldPath:""}: field is immutable',
        'message: Invalid value: "other": field is immutable',
      ],
    },
    {
      name: 'reason changed is reported twice, as upstream does',
      ev: newStyle({ reason: 'Bound' }),
      want: ['reason: Invalid value: "Bound": field is immutable', 'reason: Invalid value: "Bound": field is immutable'],
    },
    {
      name: 'eventTime changed',
      ev: newStyle({ eventTime: '2025-01-02T03:04:05.500000Z' }),
      want: ['eventTime: Invalid value: 2025-01-02 03:04:05.5 +0000 UTC: field is immutable'],
    },
  ];
  for (const c of cases) assert.deepEqual(messages(eventsV1Strategy.validateUpdate!(c.ev, old)), c.want, c.name);
});

test('events select on the involved object, reason, source and reporting controller', () => {
  assert.deepEqual(strategy.selectableFields!(oldStyle()), {
    'involvedObject.kind': 'Pod',
    'involvedObject.namespace': 'default',
    'involvedObject.name': 'web',
    'involvedObject.uid': 'u1',
    'involvedObject.apiVersion': 'v1',
    'involvedObject.resourceVersion': '',
    'involvedObject.fieldPath': '',
    reason: 'Scheduled',
    reportingComponent: '',
    source: 'default-scheduler',
    type: 'Normal',
  });
  // A new-style event has no source; its reporting controller answers for it.
  assert.equal(strategy.selectableFields!(newStyle()).source, 'default-scheduler');
  assert.deepEqual(eventsV1Strategy.selectableFields!(newStyle()), {
    reason: 'Scheduled',
    'regarding.kind': 'Pod',
    'regarding.namespace': 'default',
    'regarding.name': 'web',
    'regarding.uid': '',
    'regarding.apiVersion': '',
    'regarding.resourceVersion': '',
    'regarding.fieldPath': '',
    reportingController: 'default-scheduler',
    type: 'Normal',
  });
});
