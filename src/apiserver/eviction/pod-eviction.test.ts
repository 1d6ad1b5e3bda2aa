import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/status-error.ts';
import type { KObject } from '../registry/kobject.ts';
import type { SubresourceRequest } from '../registry/resource.ts';
import type { DeleteOptions, Store } from '../registry/store.ts';
import type { RequestContext } from '../registry/request-context.ts';
import { podEvictionHandler } from './pod-eviction.ts';

interface Recorder {
  deletes: { options: DeleteOptions; dryRun: boolean }[];
  statusWrites: { resourceVersion?: string; conditions: unknown }[];
  sent: { code: number; body: unknown }[];
}

/** A pods store with one pod whose resourceVersion moves on `bumps` times while the eviction runs. */
function request(body: unknown, opts: { phase?: string; bumps?: number; query?: string; missing?: boolean; conditions?: object[] } = {}): { r: SubresourceRequest; rec: Recorder } {
  const rec: Recorder = { deletes: [], sent: [], statusWrites: [] };
  let rv = 10;
  let bumps = opts.bumps ?? 0;
  let status: KObject['status'] = { phase: opts.phase ?? 'Running', ...(opts.conditions ? { conditions: opts.conditions } : {}) };
  const store = {
    async get(_ns: string | undefined, name: string): Promise<KObject> {
      if (opts.missing) throw StatusError.notFound({ group: '', resource: 'pods' }, name);
      return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', uid: 'u1', resourceVersion: String(rv) }, status: structuredClone(status) };
    },
    async update(_ns: string | undefined, name: string, obj: KObject, _ctx: RequestContext, o: { subresource?: string }) {
      assert.equal(o.subresource, 'status');
      if (obj.metadata.resourceVersion !== String(rv)) throw StatusError.optimisticLock({ group: '', resource: 'pods' }, name);
      rec.statusWrites.push({ resourceVersion: obj.metadata.resourceVersion, conditions: obj.status.conditions });
      status = structuredClone(obj.status);
      rv++;
      return { object: { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } }, created: false };
    },
    async delete(_ns: string | undefined, name: string, options: DeleteOptions, ctx: RequestContext) {
      rec.deletes.push({ options, dryRun: ctx.dryRun });
      if (bumps > 0) {
        bumps--;
        rv++;
        throw StatusError.conflict({ group: '', resource: 'pods' }, name, 'Precondition failed: ResourceVersion in precondition: 10, ResourceVersion in object meta: 11');
      }
      return { object: {} as KObject, deleted: true };
    },
  } as unknown as Store;
  const ctx: RequestContext = { user: { name: 'admin', groups: [] }, dryRun: false, warnings: [] };
  const r = {
    req: {} as never,
    res: {} as never,
    url: new URL(`https://x/api/v1/namespaces/shop/pods/web/eviction?${opts.query ?? ''}`),
    ctx,
    store,
    version: 'v1',
    namespace: 'shop',
    name: 'web',
    readObject: async () => structuredClone(body) as KObject,
    send: (code: number, b: unknown) => rec.sent.push({ code, body: b }),
  } as SubresourceRequest;
  return { r, rec };
}

const eviction = (extra: object = {}) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web', namespace: 'shop' }, ...extra });
const handler = podEvictionHandler();

test('an eviction marks the pod DisruptionTarget, deletes it at the version that write made and answers 201 Success', async () => {
  const { r, rec } = request(eviction({ deleteOptions: { gracePeriodSeconds: 5 } }));
  await handler.handle(r);
  assert.equal(rec.statusWrites.length, 1);
  const [c] = rec.statusWrites[0]!.conditions as Record<string, unknown>[];
  assert.deepEqual({ ...c, lastTransitionTime: undefined }, {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'EvictionByEvictionAPI',
    message: 'Eviction API: evicting',
    lastProbeTime: null,
    lastTransitionTime: undefined,
  });
  assert.match(String(c!.lastTransitionTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(rec.deletes, [{ options: { gracePeriodSeconds: 5, preconditions: { resourceVersion: '11' } }, dryRun: false }]);
  assert.deepEqual(rec.sent, [{ code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } }]);
});

test('conflicts from a pod changing meanwhile are retried; a version the client pinned is not', async () => {
  const moving = request(eviction(), { bumps: 2 });
  await handler.handle(moving.r);
  // Each attempt reads the pod, marks it (once: the condition is already there afterwards) and deletes at the newest version.
  assert.deepEqual(moving.rec.deletes.map((d) => d.options.preconditions?.resourceVersion), ['11', '12', '13']);
  assert.equal(moving.rec.statusWrites.length, 1);
  const pinned = request(eviction({ deleteOptions: { preconditions: { resourceVersion: '10' } } }), { bumps: 1 });
  await assert.rejects(handler.handle(pinned.r), (e: unknown) => e instanceof StatusError && e.code === 409);
  assert.equal(pinned.rec.deletes.length, 1);
});

test('terminal pods are deleted without a version precondition; dry runs come from the query or the DeleteOptions', async () => {
  const done = request(eviction(), { phase: 'Succeeded' });
  await handler.handle(done.r);
  assert.deepEqual(done.rec.deletes[0]!.options, {});
  const dry = request(eviction({ deleteOptions: { dryRun: ['All'] } }));
  await handler.handle(dry.r);
  assert.equal(dry.rec.deletes[0]!.dryRun, true);
  assert.deepEqual(dry.rec.statusWrites, [], 'a dry run changes nothing');
  const mismatch = request(eviction({ deleteOptions: { dryRun: ['All'] } }), { query: 'dryRun=Bogus' });
  await assert.rejects(handler.handle(mismatch.r), /Non-matching dry-run options in request and content: \[Bogus\] and \[All\]/);
});

test('refusals as upstream words them', async () => {
  const cases: [unknown, object, number, RegExp][] = [
    [eviction({ metadata: { name: 'other' } }), {}, 400, /^name in URL does not match name in Eviction object$/],
    [eviction({ metadata: { name: 'web', namespace: 'elsewhere' } }), {}, 400, /^the namespace of the provided object does not match the namespace sent on the request$/],
    [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } }, {}, 400, /does not match the expected API version/],
    [eviction({ spec: {} }), { query: 'fieldValidation=Strict' }, 400, /strict decoding error: unknown field "spec"/],
    [eviction(), { missing: true }, 404, /^pods "web" not found$/],
  ];
  for (const [body, opts, code, message] of cases) {
    const { r } = request(body, opts);
    await assert.rejects(handler.handle(r), (e: unknown) => e instanceof StatusError && e.code === code && message.test(e.message), String(message));
  }
});

test('a pod already marked by an eviction is not written again', async () => {
  const marked = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:00Z' };
  const { r, rec } = request(eviction(), { conditions: [marked] });
  await handler.handle(r);
  assert.deepEqual(rec.statusWrites, []);
  assert.deepEqual(rec.deletes[0]!.options, { preconditions: { resourceVersion: '10' } });
});
