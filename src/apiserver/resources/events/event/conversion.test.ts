import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { fromCore, toCore } from './conversion.ts';

// Both shapes as upstream serializes them (Go's omitempty on scalars, structs always present).
const coreEvent: KObject = {
  kind: 'Event',
  apiVersion: 'v1',
  metadata: { name: 'web.17a', namespace: 'default', uid: 'e1', resourceVersion: '7' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
  reason: 'Pulled',
  message: 'Container image "nginx" already present on machine',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2025-01-01T00:00:00Z',
  lastTimestamp: '2025-01-01T00:05:00Z',
  count: 3,
  type: 'Normal',
  eventTime: null,
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
};

const eventsV1: KObject = {
  kind: 'Event',
  apiVersion: 'events.k8s.io/v1',
  metadata: { name: 'web.17b', namespace: 'default' },
  eventTime: '2025-01-01T00:00:00.123456Z',
  series: { count: 4, lastObservedTime: '2025-01-01T00:10:00.000000Z' },
  reportingController: 'example.com/controller',
  reportingInstance: 'controller-0',
  action: 'Reconcile',
  reason: 'Synced',
  regarding: { kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' },
  related: { kind: 'ReplicaSet', namespace: 'default', name: 'web-1' },
  note: 'synced',
  type: 'Warning',
  deprecatedSource: {},
  deprecatedFirstTimestamp: null,
  deprecatedLastTimestamp: null,
};

test('core events read through events.k8s.io/v1 and back are unchanged', () => {
  const v1 = fromCore(coreEvent);
  assert.deepEqual(v1, {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: coreEvent.metadata,
    eventTime: null,
    reportingController: 'kubelet',
    reportingInstance: 'node-1',
    reason: 'Pulled',
    regarding: coreEvent.involvedObject,
    note: coreEvent.message,
    type: 'Normal',
    deprecatedSource: { component: 'kubelet', host: 'node-1' },
    deprecatedFirstTimestamp: '2025-01-01T00:00:00Z',
    deprecatedLastTimestamp: '2025-01-01T00:05:00Z',
    deprecatedCount: 3,
  });
  assert.deepEqual(toCore(v1), coreEvent);
});

test('events.k8s.io/v1 events stored as core events and read back are unchanged', () => {
  const core = toCore(eventsV1);
  assert.deepEqual(core, {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: eventsV1.metadata,
    involvedObject: eventsV1.regarding,
    reason: 'Synced',
    message: 'synced',
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type: 'Warning',
    eventTime: '2025-01-01T00:00:00.123456Z',
    series: { count: 4, lastObservedTime: '2025-01-01T00:10:00.000000Z' },
    action: 'Reconcile',
    related: eventsV1.related,
    reportingComponent: 'example.com/controller',
    reportingInstance: 'controller-0',
  });
  assert.deepEqual(fromCore(core), eventsV1);
});

test('a sparse event gains the fields Go always writes', () => {
  const cases: { name: string; input: KObject; fn: (e: KObject) => KObject; want: KObject }[] = [
    {
      name: 'to core',
      input: { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'x' }, note: 'n' },
      fn: toCore,
      want: {
        kind: 'Event',
        apiVersion: 'v1',
        metadata: { name: 'x' },
        involvedObject: {},
        message: 'n',
        source: {},
        firstTimestamp: null,
        lastTimestamp: null,
        eventTime: null,
        reportingComponent: '',
        reportingInstance: '',
      },
    },
    {
      name: 'from core',
      input: { apiVersion: 'v1', kind: 'Event', metadata: { name: 'x' }, count: 0 },
      fn: fromCore,
      want: {
        kind: 'Event',
        apiVersion: 'events.k8s.io/v1',
        metadata: { name: 'x' },
        eventTime: null,
        regarding: {},
        deprecatedSource: {},
        deprecatedFirstTimestamp: null,
        deprecatedLastTimestamp: null,
      },
    },
  ];
  for (const c of cases) assert.deepEqual(c.fn(c.input), c.want, c.name);
});
