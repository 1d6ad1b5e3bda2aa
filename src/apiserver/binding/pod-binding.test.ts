import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/status-error.ts';
import type { KObject } from '../registry/kobject.ts';
import { updatePodCondition } from '../../machinery/pod-condition.ts';
import { assignPod, validatePodBinding } from './pod-binding.ts';

const now = '2025-05-01T10:00:00Z';
const pod = (extra: { spec?: object; metadata?: object; status?: object } = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', resourceVersion: '42', ...extra.metadata },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...extra.spec },
  status: { phase: 'Pending', ...extra.status },
});

test('a binding sets the node, merges annotations and marks the pod scheduled', () => {
  const p = assignPod(pod({ metadata: { annotations: { keep: 'me' } } }), { node: 'node-1', annotations: { added: 'yes' } }, now);
  assert.equal(p.spec.nodeName, 'node-1');
  assert.deepEqual(p.metadata.annotations, { keep: 'me', added: 'yes' });
  assert.deepEqual(p.status.conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }]);
});

test('an Unschedulable condition is replaced by PodScheduled=True without reason or message', () => {
  const failed = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2025-05-01T09:00:00Z', reason: 'Unschedulable', message: 'no' };
  const p = assignPod(pod({ status: { conditions: [failed] } }), { node: 'node-1' }, now);
  assert.deepEqual(p.status.conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }]);
});

test('bindings are refused with upstream texts', () => {
  const cases: { name: string; pod: KObject; binding: { uid?: string; resourceVersion?: string; node: string }; code: number; message: string }[] = [
    {
      name: 'already bound',
      pod: pod({ spec: { nodeName: 'other' } }),
      binding: { node: 'node-1' },
      code: 409,
      message: 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "other"',
    },
    {
      name: 'being deleted',
      pod: pod({ metadata: { deletionTimestamp: now } }),
      binding: { node: 'node-1' },
      code: 409,
      message: 'Operation cannot be fulfilled on pods/binding "web": pod web is being deleted, cannot be assigned to a host',
    },
    {
      name: 'gated',
      pod: pod({ spec: { schedulingGates: [{ name: 'wait' }] } }),
      binding: { node: 'node-1' },
      code: 409,
      message: 'Operation cannot be fulfilled on pods/binding "web": pod web has non-empty .spec.schedulingGates',
    },
    {
      name: 'uid precondition',
      pod: pod(),
      binding: { node: 'node-1', uid: 'u-2' },
      code: 409,
      message:
        'Operation cannot be fulfilled on pods "web": StorageError: invalid object, Code: 4, Key: /registry/pods/shop/web, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: u-2, UID in object meta: u-1',
    },
    {
      name: 'resourceVersion precondition',
      pod: pod(),
      binding: { node: 'node-1', uid: 'u-1', resourceVersion: '41' },
      code: 409,
      message:
        'Operation cannot be fulfilled on pods "web": StorageError: invalid object, Code: 4, Key: /registry/pods/shop/web, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ResourceVersion in precondition: 41, ResourceVersion in object meta: 42',
    },
  ];
  for (const c of cases) {
    assert.throws(
      () => assignPod(c.pod, c.binding, now),
      (e: unknown) => e instanceof StatusError && e.code === c.code && e.reason === 'Conflict' && e.message === c.message,
      c.name,
    );
  }
});

test('binding validation', () => {
  const msgs = (b: KObject) => validatePodBinding(b).map((e) => e.message());
  assert.deepEqual(msgs({ metadata: {}, target: { name: 'n' } }), []);
  assert.deepEqual(msgs({ metadata: {}, target: { kind: 'Node', name: 'n' } }), []);
  assert.deepEqual(msgs({ metadata: {}, target: { kind: 'Pod' } }), [
    'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
    'target.name: Required value',
  ]);
});

test('updatePodCondition keeps the transition time while the status stays and reports changes', () => {
  const status = { conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: 't0', reason: 'Unschedulable', message: 'a' }] };
  assert.equal(updatePodCondition(status, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'a' }, 't1'), false);
  assert.equal(status.conditions[0]!.lastTransitionTime, 't0');
  assert.equal(updatePodCondition(status, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'b' }, 't2'), true);
  assert.equal(status.conditions[0]!.lastTransitionTime, 't0');
  assert.equal(updatePodCondition(status, { type: 'PodScheduled', status: 'True' }, 't3'), true);
  assert.equal(status.conditions[0]!.lastTransitionTime, 't3');
});
