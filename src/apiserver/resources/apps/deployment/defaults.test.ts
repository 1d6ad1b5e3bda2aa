import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../registry/kobject.ts';
import { strategy, scaleSelector } from './strategy.ts';

test('a minimal Deployment gets the defaults kubectl describe shows', () => {
  const d: KObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
  strategy.defaults!(d);
  strategy.prepareForCreate!(d);
  assert.deepEqual(d, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', generation: 1 },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  });
});

test('explicit values survive defaulting; Recreate gets no rollingUpdate', () => {
  const cases: { name: string; spec: KObject['spec']; check: (s: KObject['spec']) => void }[] = [
    { name: 'zero replicas stay zero', spec: { replicas: 0 }, check: (s) => assert.equal(s.replicas, 0) },
    { name: 'Recreate', spec: { strategy: { type: 'Recreate' } }, check: (s) => assert.deepEqual(s.strategy, { type: 'Recreate' }) },
    {
      name: 'partial rolling update',
      spec: { strategy: { rollingUpdate: { maxSurge: 1 } } },
      check: (s) => assert.deepEqual(s.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } }),
    },
    { name: 'no spec at all', spec: undefined, check: (s) => assert.equal(s.template.spec.restartPolicy, 'Always') },
  ];
  for (const c of cases) {
    const d: KObject = { metadata: { name: 'x' }, spec: c.spec };
    strategy.defaults!(d);
    c.check(d.spec);
  }
});

test('the scale subresource prints the selector as a selector string', () => {
  const cases: [KObject['spec'], string][] = [
    [{ selector: { matchLabels: { app: 'web', tier: 'front' } } }, 'app=web,tier=front'],
    [{ selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] } }, 'env in (dev,prod)'],
  ];
  for (const [spec, want] of cases) assert.equal(scaleSelector({ metadata: {}, spec }), want);
});
