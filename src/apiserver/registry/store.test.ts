// The generic store's semantics on a real SQLite backend: writes, conflicts, pagination, selectors, watch, finalizers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteBackend } from '../../storage/sqlite/sqlite-backend.ts';
import { StatusError } from '../../machinery/status-error.ts';
import { Codec } from './codec.ts';
import { Store, type WatchEventType } from './store.ts';
import { systemContext } from './request-context.ts';
import { allVerbs, type ResourceDefinition } from './resource.ts';
import type { KObject } from './kobject.ts';
import { WatchHub } from '../watch/watch-hub.ts';

const def: ResourceDefinition = {
  group: '',
  versions: [{ version: 'v1' }],
  storageVersion: 'v1',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  verbs: allVerbs,
  subresources: {},
  strategy: {},
};

const cm = (name: string, labels?: Record<string, string>, data: Record<string, string> = { a: '1' }): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

async function statusOf(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a StatusError');
}

describe('generic store', () => {
  let backend: SqliteBackend;
  let hub: WatchHub;
  let store: Store;
  let namespaces: Set<string>;
  const ctx = systemContext;

  before(async () => {
    backend = new SqliteBackend({ path: ':memory:' });
    await backend.start();
    const codec = new Codec();
    hub = new WatchHub(backend, codec);
    await hub.start();
    namespaces = new Set(['default', 'other']);
    store = new Store(def, {
      backend,
      codec,
      hub,
      lookup: { namespacePhase: async (n) => (namespaces.has(n) ? 'Active' : undefined) },
    });
  });
  after(async () => {
    hub.stop();
    await backend.close();
  });

  it('creates with system fields and rejects duplicates and unknown namespaces', async () => {
    const o = await store.create('default', cm('one'), ctx());
    assert.match(o.metadata.uid!, /^[0-9a-f-]{36}$/);
    assert.match(String(o.metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(o.metadata.namespace, 'default');
    const dup = await statusOf(store.create('default', cm('one'), ctx()));
    assert.equal(dup.code, 409);
    assert.equal(dup.message, 'configmaps "one" already exists');
    const nons = await statusOf(store.create('nope', cm('x'), ctx()));
    assert.equal(nons.message, 'namespaces "nope" not found');
    const mismatch = await statusOf(store.create('default', { ...cm('y'), metadata: { name: 'y', namespace: 'other' } }, ctx()));
    assert.equal(mismatch.code, 400);
  });

  it('generates names from generateName', async () => {
    const o = await store.create('default', { ...cm(''), metadata: { generateName: 'gen-' } }, ctx());
    assert.match(o.metadata.name!, /^gen-[a-z0-9]{5}$/);
  });

  it('guards updates with the resourceVersion and skips no-op writes', async () => {
    const o = await store.create('default', cm('upd'), ctx());
    const same = await store.update('default', 'upd', o, ctx());
    assert.equal(same.object.metadata.resourceVersion, o.metadata.resourceVersion, 'a no-op update does not bump the resourceVersion');
    const changed = await store.update('default', 'upd', { ...o, data: { a: '2' } }, ctx());
    assert.notEqual(changed.object.metadata.resourceVersion, o.metadata.resourceVersion);
    const stale = await statusOf(store.update('default', 'upd', { ...o, data: { a: '3' } }, ctx()));
    assert.equal(stale.code, 409);
    assert.equal(
      stale.message,
      'Operation cannot be fulfilled on configmaps "upd": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('pages with limit/continue consistently and filters by labels', async () => {
    for (let i = 0; i < 7; i++) await store.create('other', cm(`p${i}`, { parity: i % 2 ? 'odd' : 'even' }), ctx());
    const first = await store.list('other', { limit: 3 });
    assert.deepEqual(first.items.map((o) => o.metadata.name), ['p0', 'p1', 'p2']);
    assert.ok(first.continue);
    await store.create('other', cm('p10'), ctx());
    const second = await store.list('other', { limit: 10, continue: first.continue });
    assert.deepEqual(second.items.map((o) => o.metadata.name), ['p3', 'p4', 'p5', 'p6'], 'the continued list is at the first page revision');
    assert.equal(second.resourceVersion, first.resourceVersion);
    assert.equal(second.continue, undefined);
    const odd = await store.list('other', { labelSelector: 'parity=odd', limit: 2 });
    assert.deepEqual(odd.items.map((o) => o.metadata.name), ['p1', 'p3']);
    const rest = await store.list('other', { labelSelector: 'parity=odd', continue: odd.continue });
    assert.deepEqual(rest.items.map((o) => o.metadata.name), ['p5']);
    const byName = await store.list(undefined, { fieldSelector: 'metadata.name=p4' });
    assert.deepEqual(byName.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['other/p4']);
    const bad = await statusOf(store.list(undefined, { fieldSelector: 'spec.bogus=1' }));
    assert.equal(bad.message, 'field label not supported: spec.bogus');
  });

  it('watches from a resourceVersion with selector transitions', async () => {
    const start = await store.list('default', {});
    const events: [WatchEventType, string, string | undefined][] = [];
    const stop = await store.watch('default', { resourceVersion: start.resourceVersion, labelSelector: 'team=a' }, (t, o) =>
      events.push([t, o.metadata.name!, o.metadata.labels?.team]),
    );
    const w = await store.create('default', cm('w', { team: 'a' }), ctx());
    const w2 = await store.update('default', 'w', { ...w, metadata: { ...w.metadata, labels: { team: 'b' } } }, ctx());
    const w3 = await store.update('default', 'w', { ...w2.object, metadata: { ...w2.object.metadata, labels: { team: 'a' } } }, ctx());
    await store.update('default', 'w', { ...w3.object, data: { a: 'x' } }, ctx());
    await store.delete('default', 'w', {}, ctx());
    await new Promise((r) => setTimeout(r, 50));
    stop();
    assert.deepEqual(events, [
      ['ADDED', 'w', 'a'],
      ['DELETED', 'w', 'b'],
      ['ADDED', 'w', 'a'],
      ['MODIFIED', 'w', 'a'],
      ['DELETED', 'w', 'a'],
    ]);
  });

  it('watch without a resourceVersion starts with the current state', async () => {
    const names: string[] = [];
    const stop = await store.watch('other', { labelSelector: 'parity=even' }, (t, o) => names.push(`${t} ${o.metadata.name}`));
    stop();
    assert.deepEqual(names, ['ADDED p0', 'ADDED p2', 'ADDED p4', 'ADDED p6']);
  });

  it('keeps an object with finalizers until they are removed, and honours preconditions', async () => {
    const o = await store.create('default', { ...cm('fin'), metadata: { name: 'fin', finalizers: ['example.com/hold'] } }, ctx());
    const pre = await statusOf(store.delete('default', 'fin', { preconditions: { uid: 'other' } }, ctx()));
    assert.equal(pre.code, 409);
    assert.match(pre.message, /Precondition failed: UID in precondition: other, UID in object meta: /);
    const r = await store.delete('default', 'fin', {}, ctx());
    assert.equal(r.deleted, false);
    assert.ok(r.object.metadata.deletionTimestamp);
    const held = await store.get('default', 'fin');
    const released = await store.update('default', 'fin', { ...held, metadata: { ...held.metadata, finalizers: [] } }, ctx());
    assert.equal(released.object.metadata.uid, o.metadata.uid);
    const gone = await statusOf(store.get('default', 'fin'));
    assert.equal(gone.code, 404);
  });

  it('foreground and orphan deletion add their finalizers', async () => {
    await store.create('default', cm('fg'), ctx());
    const fg = await store.delete('default', 'fg', { propagationPolicy: 'Foreground' }, ctx());
    assert.deepEqual(fg.object.metadata.finalizers, ['foregroundDeletion']);
    await store.create('default', cm('or'), ctx());
    const or = await store.delete('default', 'or', { propagationPolicy: 'Orphan' }, ctx());
    assert.deepEqual(or.object.metadata.finalizers, ['orphan']);
  });

  it('dry-run writes nothing', async () => {
    const dry = { ...ctx(), dryRun: true };
    await store.create('default', cm('dry'), dry);
    assert.equal((await statusOf(store.get('default', 'dry'))).code, 404);
  });
});
