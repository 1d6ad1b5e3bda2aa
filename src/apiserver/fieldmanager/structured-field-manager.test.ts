import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/status-error.ts';
import type { KObject } from '../registry/kobject.ts';
import { builtinResources } from '../resources/index.ts';
import type { ManagedFieldsEntry } from './managed-fields.ts';
import { StructuredFieldManager } from './structured-field-manager.ts';

const defs = builtinResources();
let clock = 0;
const now = () => new Date(Date.UTC(2025, 0, 1, 0, 0, clock)).toISOString().replace(/\.\d+Z$/, 'Z');
const fm = new StructuredFieldManager({ version: 0, definitions: () => defs }, { now });

beforeEach(() => {
  clock = 0;
});

function deployment(replicas: number, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...extra,
    },
  };
}

/** What the store does after the field manager: the object is persisted with a uid. */
const stored = (o: KObject): KObject => ({ ...structuredClone(o), metadata: { ...structuredClone(o.metadata), uid: 'uid-1' } });
const entries = (o: KObject) => (o.metadata.managedFields ?? []) as ManagedFieldsEntry[];
const entry = (o: KObject, manager: string) => entries(o).find((e) => e.manager === manager);

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a conflict');
}

describe('updates', () => {
  it('a create owns every field it set, defaults included, with upstream-shaped FieldsV1', () => {
    const created = fm.update(undefined, deployment(1), 'kubectl-client-side-apply');
    assert.deepEqual(entries(created), [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2025-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:progressDeadlineSeconds': {},
            'f:replicas': {},
            'f:revisionHistoryLimit': {},
            'f:selector': {},
            'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:imagePullPolicy': {},
                    'f:name': {},
                    'f:terminationMessagePath': {},
                    'f:terminationMessagePolicy': {},
                  },
                },
                'f:dnsPolicy': {},
                'f:restartPolicy': {},
                'f:schedulerName': {},
                'f:securityContext': {},
                'f:terminationGracePeriodSeconds': {},
              },
            },
          },
        },
      },
    ]);
  });

  it('moves a changed field to the updater and leaves the rest with their owners', () => {
    const live = stored(fm.update(undefined, deployment(1), 'creator'));
    clock = 5;
    const next = fm.update(live, { ...structuredClone(live), spec: { ...live.spec, replicas: 3 } }, 'scaler');
    assert.deepEqual(entry(next, 'scaler'), {
      manager: 'scaler',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2025-01-01T00:00:05Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    const creator = entry(next, 'creator')!;
    assert.equal(creator.time, '2025-01-01T00:00:00Z');
    assert.equal((creator.fieldsV1 as Record<string, Record<string, unknown>>)['f:spec']!['f:replicas'], undefined);
    assert.ok((creator.fieldsV1 as Record<string, Record<string, unknown>>)['f:spec']!['f:template']);
  });

  it('merges a manager\'s updates into one entry and leaves time alone when nothing changed', () => {
    let live = stored(fm.update(undefined, deployment(1), 'm'));
    clock = 7;
    live = stored(fm.update(live, { ...structuredClone(live), metadata: { ...live.metadata, labels: { a: 'b' } } }, 'm'));
    assert.equal(entries(live).length, 1);
    assert.equal(entry(live, 'm')!.time, '2025-01-01T00:00:07Z');
    assert.deepEqual((entry(live, 'm')!.fieldsV1 as Record<string, unknown>)['f:metadata'], { 'f:labels': { '.': {}, 'f:a': {} } });
    clock = 9;
    const same = fm.update(live, structuredClone(live), 'm');
    assert.deepEqual(same.metadata.managedFields, live.metadata.managedFields);
  });

  it('tracks status writes under subresource "status", and never status on the main resource', () => {
    const live = stored(fm.update(undefined, { ...deployment(1), status: { replicas: 9 } }, 'creator'));
    assert.equal((entry(live, 'creator')!.fieldsV1 as Record<string, unknown>)['f:status'], undefined);
    const next = fm.update(live, { ...structuredClone(live), spec: { ...live.spec, replicas: 5 }, status: { replicas: 1, readyReplicas: 1 } }, 'controller', 'status');
    assert.deepEqual(entry(next, 'controller'), {
      manager: 'controller',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2025-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } },
      subresource: 'status',
    });
  });

  it('leaves objects nobody tracks untracked until their first apply, which hands existing fields to "before-first-apply"', () => {
    const legacy = stored(deployment(1));
    const updated = fm.update(legacy, { ...structuredClone(legacy), spec: { ...legacy.spec, replicas: 2 } }, 'someone');
    assert.equal(updated.metadata.managedFields, undefined);
    const applied = fm.apply(legacy, deployment(1, { minReadySeconds: 3 }), 'kubectl', false);
    assert.deepEqual(entries(applied).map((e) => [e.manager, e.operation]), [
      ['kubectl', 'Apply'],
      ['before-first-apply', 'Update'],
    ]);
  });

  it('clears managedFields when asked with an empty list', () => {
    const live = stored(fm.update(undefined, deployment(1), 'm'));
    const cleared = fm.update(live, { ...structuredClone(live), metadata: { ...live.metadata, managedFields: [] } }, 'm');
    assert.equal(cleared.metadata.managedFields, undefined);
  });

  it('a write through /scale takes the replicas from their owners, as an Update of subresource "scale" without a time', () => {
    const live = stored(fm.apply(undefined, deployment(1), 'kubectl', false));
    clock = 4;
    const scaled = fm.update(live, { ...structuredClone(live), spec: { ...live.spec, replicas: 5 } }, 'kubectl', 'scale');
    assert.deepEqual(entry(scaled, 'kubectl') && entries(scaled).map((e) => [e.manager, e.operation, e.subresource ?? '', e.time ?? '']), [
      ['kubectl', 'Apply', '', '2025-01-01T00:00:00Z'],
      ['kubectl', 'Update', 'scale', ''],
    ]);
    const scaleEntry = entries(scaled).find((e) => e.subresource === 'scale')!;
    assert.deepEqual([scaleEntry.apiVersion, scaleEntry.fieldsV1], ['apps/v1', { 'f:spec': { 'f:replicas': {} } }]);
    const apply = entries(scaled).find((e) => e.operation === 'Apply')!.fieldsV1 as Record<string, Record<string, unknown>>;
    assert.equal(apply['f:spec']!['f:replicas'], undefined);
    // Re-applying the old count now conflicts with the scaler.
    const err = conflictOf(() => fm.apply(stored(scaled), deployment(1), 'kubectl', false));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  });

  it('a scale write of replicas nobody owns is not tracked', () => {
    const noReplicas = deployment(1);
    delete noReplicas.spec.replicas;
    const live = stored(fm.apply(undefined, noReplicas, 'kubectl', false));
    const scaled = fm.update(live, { ...structuredClone(live), spec: { ...live.spec, replicas: 3 } }, 'hpa', 'scale');
    assert.deepEqual(scaled.metadata.managedFields, live.metadata.managedFields);
  });

  it('merges the oldest of more than ten updaters into "ancient-changes"', () => {
    let live = stored(fm.update(undefined, deployment(1), 'm0'));
    for (let i = 1; i <= 11; i++) {
      clock = i;
      live = stored(fm.update(live, { ...structuredClone(live), metadata: { ...live.metadata, labels: { ...live.metadata.labels, [`l${i}`]: 'x' } } }, `m${i}`));
    }
    const managers = entries(live).map((e) => e.manager);
    assert.equal(managers.length, 10);
    assert.ok(managers.includes('ancient-changes'));
    assert.ok(!managers.includes('m0') && !managers.includes('m1') && !managers.includes('m2'));
  });
});

describe('server-side apply', () => {
  it('creates, and owns exactly the applied fields', () => {
    const created = fm.apply(undefined, deployment(2), 'kubectl', false);
    assert.equal(created.spec.strategy.type, 'RollingUpdate', 'defaults are applied');
    assert.deepEqual(entries(created), [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2025-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  it('applying the same configuration again changes nothing, not even the time', () => {
    const live = stored(fm.apply(undefined, deployment(2), 'kubectl', false));
    clock = 30;
    assert.deepEqual(fm.apply(live, deployment(2), 'kubectl', false), live);
  });

  it('refuses to change a field another manager owns, naming manager and field', () => {
    const live = stored(fm.update(undefined, deployment(1), 'kubectl-client-side-apply'));
    const err = conflictOf(() => fm.apply(live, deployment(3), 'other', false));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepEqual(err.toStatus().details, {
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }],
    });
  });

  it('lists several conflicts by manager', () => {
    let live = stored(fm.apply(undefined, deployment(1), 'a', false));
    live = stored(fm.apply(live, { ...deployment(1), metadata: { name: 'web', namespace: 'default', labels: { x: '1' } } }, 'b', false));
    const changed = deployment(2, { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } });
    changed.metadata.labels = { x: '2' };
    const err = conflictOf(() => fm.apply(live, changed, 'c', false));
    assert.equal(
      err.message,
      'Apply failed with 5 conflicts: conflicts with "a":\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image\nconflicts with "b":\n- .metadata.labels.x\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
  });

  it('with force takes the field over', () => {
    const live = stored(fm.apply(undefined, deployment(1), 'kubectl', false));
    clock = 3;
    const forced = fm.apply(live, deployment(3), 'other', true);
    assert.equal(forced.spec.replicas, 3);
    const kubectl = entry(forced, 'kubectl')!.fieldsV1 as Record<string, Record<string, unknown>>;
    assert.equal(kubectl['f:spec']!['f:replicas'], undefined);
    assert.ok(kubectl['f:spec']!['f:template'], 'shared fields stay co-owned');
    assert.ok((entry(forced, 'other')!.fieldsV1 as Record<string, Record<string, unknown>>)['f:spec']!['f:replicas']);
  });

  it('removes fields the manager no longer applies, unless someone else owns them', () => {
    const withPaused = deployment(1, { minReadySeconds: 5, paused: true });
    let live = stored(fm.apply(undefined, withPaused, 'kubectl', false));
    live = stored(fm.apply(live, deployment(1, { paused: true }), 'other', false));
    const pruned = fm.apply(live, deployment(1), 'kubectl', false);
    assert.equal(pruned.spec.minReadySeconds, undefined, 'dropped from the configuration and owned by nobody else');
    assert.equal(pruned.spec.paused, true, 'still applied by "other"');
  });

  it('removes list items the manager no longer applies', () => {
    const two = deployment(1, {
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'n' }, { name: 'sidecar', image: 's' }] } },
    });
    const live = stored(fm.apply(undefined, two, 'kubectl', false));
    const one = fm.apply(live, deployment(1), 'kubectl', false);
    assert.deepEqual(one.spec.template.spec.containers.map((c: { name: string }) => c.name), ['nginx']);
  });

  it('kubectl takes over from client-side apply without conflicts, and keeps the annotation up to date', () => {
    const annotation = 'kubectl.kubernetes.io/last-applied-configuration';
    const csa = deployment(1);
    csa.metadata.annotations = { [annotation]: JSON.stringify(deployment(1)) + '\n' };
    const live = stored(fm.update(undefined, csa, 'kubectl-client-side-apply'));
    const err = conflictOf(() => fm.apply(live, deployment(4), 'someone-else', false));
    assert.match(err.message, /conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas/);
    const upgraded = fm.apply(live, deployment(4), 'kubectl', false);
    assert.equal(upgraded.spec.replicas, 4);
    assert.equal(
      upgraded.metadata.annotations![annotation],
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":4,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.27","name":"nginx"}]}}}}\n',
    );
  });

  it('kubectl still conflicts on fields client-side apply did not set as they are', () => {
    const annotation = 'kubectl.kubernetes.io/last-applied-configuration';
    const csa = deployment(1);
    csa.metadata.annotations = { [annotation]: JSON.stringify(deployment(1)) + '\n' };
    let live = stored(fm.update(undefined, csa, 'kubectl-client-side-apply'));
    live = stored(fm.update(live, { ...structuredClone(live), spec: { ...live.spec, replicas: 2 } }, 'kubectl-scale'));
    const err = conflictOf(() => fm.apply(live, deployment(4), 'kubectl', false));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas');
  });

  it('rejects what upstream rejects, with its words', () => {
    const cases: [KObject, number, string][] = [
      [{ ...deployment(1), metadata: { name: 'web', namespace: 'default', managedFields: [] } }, 400, 'metadata.managedFields must be nil'],
      [deployment(1, { bogus: true }), 500, 'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.bogus: field not declared in schema'],
    ];
    const live = stored(fm.apply(undefined, deployment(1), 'kubectl', false));
    cases.push([{ ...deployment(1), kind: 'ReplicaSet' }, 400, 'invalid object type: apps/v1, Kind=ReplicaSet']);
    for (const [config, code, message] of cases) {
      const err = conflictOf(() => fm.apply(live, config, 'kubectl', false));
      assert.equal(err.code, code);
      assert.equal(err.message, message);
    }
  });

  it('tracks applies to /status under the status subresource', () => {
    const live = stored(fm.apply(undefined, deployment(1), 'kubectl', false));
    const out = fm.apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, status: { replicas: 1 } }, 'ctl', false, 'status');
    assert.deepEqual(entry(out, 'ctl')?.fieldsV1, { 'f:status': { 'f:replicas': {} } });
    assert.equal(entry(out, 'ctl')?.subresource, 'status');
  });

  it('passes objects of unknown kinds through', () => {
    const obj: KObject = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' } };
    assert.equal(fm.update(undefined, obj, 'm'), obj);
  });
});
