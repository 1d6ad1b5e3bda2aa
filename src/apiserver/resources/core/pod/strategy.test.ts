import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { computeQOS, strategy } from './strategy.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const created = (spec: Json, name = 'web'): KObject => {
  const p: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec };
  strategy.defaults!(p);
  strategy.prepareForCreate!(p);
  return p;
};

test('the QoS class follows the containers requests and limits', () => {
  const c = (resources?: Json) => ({ name: 'c', image: 'i', resources });
  const cases: { name: string; containers: Json[]; want: string }[] = [
    { name: 'nothing set', containers: [c()], want: 'BestEffort' },
    { name: 'zero requests', containers: [c({ requests: { cpu: '0' } })], want: 'BestEffort' },
    { name: 'limits only (requests defaulted)', containers: [c({ limits: { cpu: '500m', memory: '512Mi' } })], want: 'Guaranteed' },
    { name: 'equal requests and limits', containers: [c({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } })], want: 'Guaranteed' },
    { name: 'seed 19', containers: [c({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2000m', memory: '2Gi' } })], want: 'Burstable' },
    { name: 'cpu limit only', containers: [c({ limits: { cpu: '1' } })], want: 'Burstable' },
    { name: 'one container without limits', containers: [c({ limits: { cpu: '1', memory: '1Gi' } }), c()], want: 'Burstable' },
    { name: 'extended resources ignored', containers: [c({ limits: { 'example.com/dongle': '1' } })], want: 'BestEffort' },
  ];
  for (const k of cases) {
    assert.equal(created({ containers: k.containers }).status.qosClass, k.want, k.name);
    assert.equal(computeQOS(created({ containers: k.containers }).spec), k.want, k.name);
  }
});

test('a new pod is Pending, generation 1, and gated pods say why they wait', () => {
  const p = created({ containers: [{ name: 'c', image: 'i' }] });
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
  assert.equal(p.metadata.generation, 1);
  const gated = created({ containers: [{ name: 'c', image: 'i' }], schedulingGates: [{ name: 'example.com/wait' }] });
  const cond = gated.status.conditions[0];
  assert.deepEqual({ ...cond, lastTransitionTime: undefined }, {
    type: 'PodScheduled',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: undefined,
    reason: 'SchedulingGated',
    message: 'Scheduling is blocked due to non-empty scheduling gates',
  });
});

test('updates keep the stored status and bump generation only on spec changes', () => {
  const old = created({ containers: [{ name: 'c', image: 'i:1' }] });
  old.status = { phase: 'Running', qosClass: 'BestEffort', podIP: '10.42.0.5' };
  const relabel: KObject = structuredClone(old);
  relabel.metadata.labels = { a: 'b' };
  relabel.status = { phase: 'Failed' };
  strategy.prepareForUpdate!(relabel, old);
  assert.deepEqual(relabel.status, old.status);
  assert.equal(relabel.metadata.generation, 1);
  const reimage: KObject = structuredClone(old);
  reimage.spec.containers[0].image = 'i:2';
  strategy.prepareForUpdate!(reimage, old);
  assert.equal(reimage.metadata.generation, 2);
});

test('pods expose the field-selector fields of upstream GetAttrs', () => {
  const p = created({ containers: [{ name: 'c', image: 'i' }], nodeName: 'node-1', serviceAccountName: 'sa' });
  p.status.podIP = '10.42.0.7';
  assert.deepEqual(strategy.selectableFields!(p), {
    'spec.nodeName': 'node-1',
    'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'sa',
    'spec.hostNetwork': 'false',
    'status.phase': 'Pending',
    'status.podIP': '10.42.0.7',
    'status.nominatedNodeName': '',
  });
});

test('create warnings: a dotted name and an env var that hides another', () => {
  const p = created({ containers: [{ name: 'c', image: 'i', env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }] }, 'web.v1');
  assert.deepEqual(strategy.warnings!(p), [
    "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
    'spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
  ]);
  assert.deepEqual(strategy.warnings!(p, p), []);
});
