// A Go round trip drops optional nulls and empty maps, lists and strings, and keeps empty structs.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { omitEmpty } from './omit-empty.ts';

it('prunes like omitempty on a Deployment', () => {
  const d = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: {}, labels: null, finalizers: [] },
    spec: {
      selector: { matchLabels: { app: 'web' }, matchExpressions: [] },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          nodeSelector: {},
          containers: [{ name: 'c', image: 'nginx', ports: null, env: [], workingDir: '' }],
          volumes: [{ name: 'v', emptyDir: {} }],
        },
      },
    },
    status: {},
  };
  omitEmpty(d, 'io.k8s.api.apps.v1.Deployment');
  assert.deepEqual(d, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'v', emptyDir: {} }] },
      },
    },
    status: {},
  });
});

it('keeps required fields even when empty', () => {
  const s = { spec: { containers: [] } };
  omitEmpty(s, 'io.k8s.api.core.v1.Pod');
  assert.deepEqual(s, { spec: { containers: [] } });
});
