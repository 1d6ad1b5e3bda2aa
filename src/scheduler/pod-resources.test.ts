import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../apiserver/registry/kobject.ts';
import { isScalarResourceName, podRequests } from './pod-resources.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const c = (name: string, requests: Record<string, string>, extra: Json = {}) => ({ name, image: 'busybox', resources: { requests }, ...extra });
const pod = (spec: Json): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec });

test('pod requests follow resource.PodRequests: sums, the init-container maximum, sidecars and overhead', () => {
  const cases: { name: string; spec: Json; milliCPU: number; memory: number; scalar?: Record<string, number> }[] = [
    { name: 'containers add up', spec: { containers: [c('a', { cpu: '250m', memory: '64Mi' }), c('b', { cpu: '0.5', memory: '1Gi' })] }, milliCPU: 750, memory: 64 * 2 ** 20 + 2 ** 30 },
    {
      name: 'an init container larger than the containers sets the floor',
      spec: { initContainers: [c('init', { cpu: '2' })], containers: [c('a', { cpu: '500m', memory: '1Gi' })] },
      milliCPU: 2000,
      memory: 2 ** 30,
    },
    {
      name: 'sidecars add to the sum and to later init containers',
      spec: {
        initContainers: [c('side', { cpu: '500m' }, { restartPolicy: 'Always' }), c('init', { cpu: '1' })],
        containers: [c('a', { cpu: '200m' })],
      },
      milliCPU: 1500,
      memory: 0,
    },
    { name: 'overhead is added', spec: { containers: [c('a', { cpu: '100m' })], overhead: { cpu: '250m', memory: '120Mi' } }, milliCPU: 350, memory: 120 * 2 ** 20 },
    { name: 'cpu rounds up to millicores', spec: { containers: [c('a', { cpu: '0.0001' })] }, milliCPU: 1, memory: 0 },
    { name: 'extended resources', spec: { containers: [c('a', { 'example.com/gpu': '2', 'hugepages-2Mi': '4Mi' })] }, milliCPU: 0, memory: 0, scalar: { 'example.com/gpu': 2, 'hugepages-2Mi': 4 * 2 ** 20 } },
  ];
  for (const t of cases) {
    const r = podRequests(pod(t.spec));
    assert.deepEqual([r.milliCPU, r.memory, r.scalar], [t.milliCPU, t.memory, t.scalar ?? {}], t.name);
  }
});

test('scalar resource names', () => {
  for (const n of ['example.com/gpu', 'hugepages-1Gi', 'attachable-volumes-aws-ebs', 'kubernetes.io/batch']) assert.ok(isScalarResourceName(n), n);
  for (const n of ['cpu', 'memory', 'pods', 'requests.example.com/x']) assert.ok(!isScalarResourceName(n), n);
});
