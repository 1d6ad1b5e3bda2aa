import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());
const seedDir = new URL('../../../../../examples/seed/', import.meta.url);
const seed = (file: string): KObject => parse(readFileSync(new URL(file, seedDir), 'utf8'));

/** A valid Deployment, changed by `edit` before defaulting (as a client would send it). */
function deployment(edit: (d: Json) => void = () => {}): KObject {
  const d: KObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    },
  };
  edit(d);
  strategy.defaults!(d);
  strategy.prepareForCreate!(d);
  return d;
}

test('seed 19 (no selector, no template labels) is rejected exactly as upstream', () => {
  const obj = seed('19-deployment-order-resources.yaml');
  strategy.defaults!(obj);
  strategy.prepareForCreate!(obj);
  assert.deepEqual(messages(strategy.validate!(obj)), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
  ]);
});

test('seed 14 as an update of seed 10 changes the selector, which apps/v1 forbids', () => {
  const old = seed('10-deployment-order-config-secrets.yaml');
  const updated = seed('14-deployment-order-istio-sidecar.yaml');
  strategy.defaults!(old);
  strategy.prepareForCreate!(old);
  assert.deepEqual(messages(strategy.validate!(old)), []);
  strategy.defaults!(updated);
  strategy.prepareForUpdate!(updated, old);
  assert.deepEqual(messages(strategy.validateUpdate!(updated, old)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"order-service", "version":"v2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
});

test('deployment specs are validated with upstream messages', () => {
  const cases: { name: string; edit: (d: Json) => void; want: string[] }[] = [
    { name: 'valid', edit: () => {}, want: [] },
    {
      name: 'no selector',
      edit: (d) => delete d.spec.selector,
      want: ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      name: 'no selector and no template labels (seed 19)',
      edit: (d) => {
        delete d.spec.selector;
        delete d.spec.template.metadata;
      },
      want: ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`'],
    },
    {
      name: 'selector does not match',
      edit: (d) => (d.spec.selector.matchLabels = { app: 'api' }),
      want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      name: 'empty selector',
      edit: (d) => (d.spec.selector = {}),
      want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    },
    {
      name: 'expression selector that does not match',
      edit: (d) => (d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'db'] }] }),
      want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      name: 'invalid selector operator',
      edit: (d) => (d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Is', values: ['web'] }] }),
      want: [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Is", Values:[]string{"web"}}}}: invalid label selector',
      ],
    },
    { name: 'negative replicas', edit: (d) => (d.spec.replicas = -1), want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'restartPolicy Never',
      edit: (d) => (d.spec.template.spec.restartPolicy = 'Never'),
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'activeDeadlineSeconds',
      edit: (d) => (d.spec.template.spec.activeDeadlineSeconds = 30),
      want: ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported'],
    },
    {
      name: 'maxSurge and maxUnavailable both 0',
      edit: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'both 0%',
      edit: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } }),
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'maxUnavailable over 100%',
      edit: (d) => (d.spec.strategy = { rollingUpdate: { maxUnavailable: '150%' } }),
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%'],
    },
    {
      name: 'bad percent',
      edit: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: 'lots' } }),
      want: [
        `spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"lots"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      ],
    },
    {
      name: 'negative maxSurge',
      edit: (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: -1 } }),
      want: ['spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'Recreate with rollingUpdate',
      edit: (d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
      want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    },
    {
      name: 'unknown strategy',
      edit: (d) => (d.spec.strategy = { type: 'BlueGreen' }),
      want: [
        'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
      ],
    },
    {
      name: 'negative revisionHistoryLimit',
      edit: (d) => (d.spec.revisionHistoryLimit = -1),
      want: ['spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'progress deadline not above minReadySeconds',
      edit: (d) => Object.assign(d.spec, { minReadySeconds: 30, progressDeadlineSeconds: 30 }),
      want: ['spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds'],
    },
    {
      name: 'negative minReadySeconds',
      edit: (d) => (d.spec.minReadySeconds = -5),
      want: ['spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0'],
    },
    {
      name: 'template label value',
      edit: (d) => (d.spec.template.metadata.labels.tier = 'front end'),
      want: [
        "spec.template.labels: Invalid value: \"front end\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    },
    {
      name: 'pod spec errors carry the template path',
      edit: (d) => (d.spec.template.spec.containers[0].resources = { requests: { cpu: '1' }, limits: { cpu: '500m' } }),
      want: ['spec.template.spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
    },
  ];
  for (const c of cases) assert.deepEqual(messages(strategy.validate!(deployment(c.edit))), c.want, c.name);
});

test('updates: selector immutable, status kept, generation bumped by spec and annotation changes', () => {
  const old = deployment();
  old.status = { replicas: 1, readyReplicas: 1, observedGeneration: 1 };
  const scaled: KObject = structuredClone(old);
  scaled.spec.replicas = 3;
  scaled.status = {};
  strategy.prepareForUpdate!(scaled, old);
  assert.deepEqual(messages(strategy.validateUpdate!(scaled, old)), []);
  assert.deepEqual(scaled.status, old.status);
  assert.equal(scaled.metadata.generation, 2);
  const annotated: KObject = structuredClone(old);
  annotated.metadata.annotations = { 'kubernetes.io/change-cause': 'x' };
  strategy.prepareForUpdate!(annotated, old);
  assert.equal(annotated.metadata.generation, 2);
  const labelled: KObject = structuredClone(old);
  labelled.metadata.labels = { team: 'a' };
  strategy.prepareForUpdate!(labelled, old);
  assert.equal(labelled.metadata.generation, 1);
  const reselected: KObject = structuredClone(old);
  reselected.spec.selector = { matchLabels: { app: 'web', tier: 'x' } };
  reselected.spec.template.metadata.labels.tier = 'x';
  assert.deepEqual(messages(strategy.validateUpdate!(reselected, old)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
});
