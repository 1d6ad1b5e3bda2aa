import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy } from './strategy.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const messages = (errs: { message(): string }[]) => errs.map((e) => e.message());

function podTemplate(edit: (t: Json) => void = () => {}): KObject {
  const t: KObject = {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: { name: 'web', namespace: 'default' },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  };
  edit(t);
  strategy.defaults!(t);
  strategy.prepareForCreate!(t);
  return t;
}

test('pod templates are validated under the template path', () => {
  const cases: { name: string; edit: (t: Json) => void; want: string[] }[] = [
    { name: 'valid', edit: () => {}, want: [] },
    { name: 'no containers', edit: (t) => (t.template.spec.containers = []), want: ['template.spec.containers: Required value'] },
    { name: 'any restart policy', edit: (t) => (t.template.spec.restartPolicy = 'Never'), want: [] },
    {
      name: 'ephemeral containers',
      edit: (t) => (t.template.spec.ephemeralContainers = [{ name: 'dbg', image: 'busybox' }]),
      want: ['template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template'],
    },
    { name: 'no template', edit: (t) => delete t.template, want: ['template.spec.containers: Required value'] },
  ];
  for (const c of cases) assert.deepEqual(messages(strategy.validate!(podTemplate(c.edit))), c.want, c.name);
});

test('pod templates get PodSpec defaults and a generation that follows the template', () => {
  const t = podTemplate();
  assert.equal(t.metadata.generation, 1);
  assert.equal(t.template.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(t.template.spec.enableServiceLinks, undefined);
  assert.equal(t.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  const relabelled: KObject = structuredClone(t);
  relabelled.metadata.labels = { a: 'b' };
  strategy.prepareForUpdate!(relabelled, t);
  assert.equal(relabelled.metadata.generation, 1);
  const changed: KObject = structuredClone(t);
  changed.template.spec.containers[0].image = 'nginx:1.28';
  strategy.prepareForUpdate!(changed, t);
  assert.equal(changed.metadata.generation, 2);
});
