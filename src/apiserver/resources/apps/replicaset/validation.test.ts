import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy, scaleSelector } from './strategy.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());

function replicaSet(edit: (r: Json) => void = () => {}): KObject {
  const r: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d8f7c9b6', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d8f7c9b6' } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': '5d8f7c9b6' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
  edit(r);
  strategy.defaults!(r);
  strategy.prepareForCreate!(r);
  return r;
}

test('replica set specs are validated with upstream messages', () => {
  const cases: { name: string; edit: (r: Json) => void; want: string[] }[] = [
    { name: 'valid', edit: () => {}, want: [] },
    {
      name: 'no selector',
      edit: (r) => delete r.spec.selector,
      want: [
        'spec.selector: Required value',
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "pod-template-hash":"5d8f7c9b6"}: `selector` does not match template `labels`',
      ],
    },
    {
      name: 'empty selector (upstream reuses the deployment wording)',
      edit: (r) => (r.spec.selector = { matchLabels: {} }),
      want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    },
    { name: 'negative replicas', edit: (r) => (r.spec.replicas = -2), want: ['spec.replicas: Invalid value: -2: must be greater than or equal to 0'] },
    { name: 'negative minReadySeconds', edit: (r) => (r.spec.minReadySeconds = -1), want: ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'restartPolicy OnFailure',
      edit: (r) => (r.spec.template.spec.restartPolicy = 'OnFailure'),
      want: ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    },
  ];
  for (const c of cases) assert.deepEqual(messages(strategy.validate!(replicaSet(c.edit))), c.want, c.name);
});

test('replica set updates: defaults, status, generation, immutable selector', () => {
  const r = replicaSet();
  assert.equal(r.spec.replicas, 2);
  assert.deepEqual(r.status, { replicas: 0 });
  assert.equal(r.metadata.generation, 1);
  assert.equal(replicaSet((x) => delete x.spec.replicas).spec.replicas, 1);
  r.status = { replicas: 2, readyReplicas: 2 };
  const scaled: KObject = structuredClone(r);
  scaled.spec.replicas = 5;
  scaled.status = { replicas: 9 };
  strategy.prepareForUpdate!(scaled, r);
  assert.deepEqual(scaled.status, { replicas: 2, readyReplicas: 2 });
  assert.equal(scaled.metadata.generation, 2);
  assert.deepEqual(messages(strategy.validateUpdate!(scaled, r)), []);
  const moved: KObject = structuredClone(r);
  moved.spec.selector.matchLabels = { app: 'web' };
  assert.deepEqual(messages(strategy.validateUpdate!(moved, r)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  assert.deepEqual(strategy.selectableFields!(scaled), { 'status.replicas': '2' });
  assert.equal(scaleSelector(r), 'app=web,pod-template-hash=5d8f7c9b6');
});
