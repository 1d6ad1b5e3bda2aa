// An in-memory stand-in for the API server that controller tests drive: objects, deletion/finalizer semantics, recorded actions, change events.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { ApiError, type ListOptions, type ResourceRef } from '../../client/client.ts';
import type { InformerHandlers } from '../../client/informer.ts';
import type { ControllerClient, SharedInformer } from '../controller.ts';
import { refKey, type DiscoveredResource } from '../discovery.ts';

const all = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const noCollection = all.filter((v) => v !== 'deletecollection');

const r = (group: string, version: string, resource: string, kind: string, namespaced = true, verbs = all): DiscoveredResource => ({
  group,
  version,
  resource,
  kind,
  namespaced,
  verbs,
});

export const refs = {
  namespaces: r('', 'v1', 'namespaces', 'Namespace', false, noCollection),
  configmaps: r('', 'v1', 'configmaps', 'ConfigMap'),
  secrets: r('', 'v1', 'secrets', 'Secret'),
  serviceaccounts: r('', 'v1', 'serviceaccounts', 'ServiceAccount'),
  pods: r('', 'v1', 'pods', 'Pod'),
  services: r('', 'v1', 'services', 'Service', true, noCollection),
  events: r('', 'v1', 'events', 'Event'),
  nodes: r('', 'v1', 'nodes', 'Node', false),
  bindings: r('', 'v1', 'bindings', 'Binding', true, ['create']),
  deployments: r('apps', 'v1', 'deployments', 'Deployment'),
  replicasets: r('apps', 'v1', 'replicasets', 'ReplicaSet'),
};

export interface Action {
  verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  body?: unknown;
}

const notFound = (resource: string, name: string) =>
  new ApiError(404, { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: `${resource} "${name}" not found` });
const conflict = (resource: string, name: string, message?: string) =>
  new ApiError(409, {
    kind: 'Status',
    status: 'Failure',
    reason: 'Conflict',
    code: 409,
    message: message ?? `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
  });

/**
 * The strategic-merge directives controllers send, on top of a merge patch: ownerReferences merge by uid (with
 * `$patch: delete`), `$deleteFromPrimitiveList/finalizers` removes finalizers.
 */
function strategicPatch(target: KObject, patch: Record<string, unknown>): KObject {
  const p = structuredClone(patch) as { metadata?: Record<string, unknown> };
  const meta = p.metadata;
  let owners = target.metadata.ownerReferences;
  let finalizers = target.metadata.finalizers;
  if (meta && Array.isArray(meta.ownerReferences)) {
    const list = [...(owners ?? [])];
    for (const r of meta.ownerReferences as { uid: string; $patch?: string }[]) {
      const i = list.findIndex((o) => o.uid === r.uid);
      if (r.$patch === 'delete') {
        if (i >= 0) list.splice(i, 1);
      } else if (i >= 0) list[i] = { ...list[i]!, ...r };
      else list.push(r as never);
    }
    owners = list;
    delete meta.ownerReferences;
  }
  const del = meta?.['$deleteFromPrimitiveList/finalizers'];
  if (Array.isArray(del)) {
    finalizers = (finalizers ?? []).filter((f) => !del.includes(f));
    delete meta!['$deleteFromPrimitiveList/finalizers'];
  }
  if (meta && Array.isArray(meta.finalizers)) {
    finalizers = [...new Set([...(finalizers ?? []), ...(meta.finalizers as string[])])];
    delete meta.finalizers;
  }
  const next = mergePatch(target, p) as KObject;
  if (owners?.length) next.metadata.ownerReferences = owners;
  else delete next.metadata.ownerReferences;
  if (finalizers?.length) next.metadata.finalizers = finalizers;
  else delete next.metadata.finalizers;
  return next;
}

let generated = 0;
const nameChars = 'bcdfghjklmnpqrstvwxz2456789';
/** A generateName suffix: five of upstream's characters, distinct within the process. */
function nameSuffix(): string {
  let n = ++generated * 7919 + 12345;
  let s = '';
  for (let i = 0; i < 5; i++) {
    s += nameChars[n % nameChars.length];
    n = Math.floor(n / nameChars.length);
  }
  return s;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class FakeCluster implements ControllerClient {
  readonly actions: Action[] = [];
  /** Returns an error to fail an action with, or undefined to let it run. */
  failWith: ((a: Action) => Error | undefined) | undefined;
  readonly #resources: DiscoveredResource[];
  readonly #objects = new Map<string, Map<string, KObject>>();
  readonly #handlers = new Map<string, InformerHandlers[]>();
  #rv = 100;
  #uid = 0;

  constructor(resources: DiscoveredResource[] = Object.values(refs)) {
    this.#resources = resources;
  }

  /** Stores an object without recording an action (test set-up); fills uid/resourceVersion when missing. */
  seed(ref: ResourceRef, obj: KObject): KObject {
    const o = structuredClone(obj);
    o.apiVersion ??= ref.group ? `${ref.group}/${ref.version}` : ref.version;
    o.kind ??= ref.kind;
    o.metadata.uid ??= `uid-${++this.#uid}`;
    o.metadata.resourceVersion = String(++this.#rv);
    o.metadata.creationTimestamp ??= '2025-01-01T00:00:00Z';
    const old = this.#bucket(ref).get(key(o.metadata.namespace, o.metadata.name!));
    // Kinds with a spec count its changes in metadata.generation, as the API server's strategies do.
    if (o.spec !== undefined && ref.resource !== 'pods' && ref.resource !== 'namespaces') {
      if (!old) o.metadata.generation ??= 1;
      else if (o.metadata.generation === undefined) o.metadata.generation = (old.metadata.generation ?? 1) + (JSON.stringify(old.spec) !== JSON.stringify(o.spec) ? 1 : 0);
    }
    this.#bucket(ref).set(key(o.metadata.namespace, o.metadata.name!), o);
    this.#emit(ref, old ? 'update' : 'add', o, old);
    return structuredClone(o);
  }

  find(ref: ResourceRef, namespace: string | undefined, name: string): KObject | undefined {
    const o = this.#bucket(ref).get(key(ref.namespaced ? namespace : undefined, name));
    return o && structuredClone(o);
  }

  objects(ref: ResourceRef, namespace?: string): KObject[] {
    return [...this.#bucket(ref).values()].filter((o) => !namespace || o.metadata.namespace === namespace).map((o) => structuredClone(o));
  }

  /** An informer-like view whose cache is the fake's current state and whose handlers hear every change. */
  informer(ref: ResourceRef): SharedInformer {
    return {
      on: (h) => {
        const k = refKey(ref);
        if (!this.#handlers.has(k)) this.#handlers.set(k, []);
        this.#handlers.get(k)!.push(h);
      },
      get: (k) => {
        const o = this.#bucket(ref).get(k);
        return o && structuredClone(o);
      },
      list: () => this.objects(ref),
    };
  }

  /** The recorded actions that change state, as `verb resource ns/name` strings. */
  writes(): string[] {
    return this.actions
      .filter((a) => a.verb !== 'get' && a.verb !== 'list')
      .map((a) => `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''} ${a.namespace ? `${a.namespace}/` : ''}${a.name ?? ''}`.trim());
  }

  #bucket(ref: ResourceRef): Map<string, KObject> {
    const k = refKey(ref);
    let b = this.#objects.get(k);
    if (!b) {
      b = new Map();
      this.#objects.set(k, b);
    }
    return b;
  }

  #emit(ref: ResourceRef, kind: 'add' | 'update' | 'delete', obj: KObject, old?: KObject): void {
    for (const h of this.#handlers.get(refKey(ref)) ?? []) {
      if (kind === 'add') h.add?.(structuredClone(obj));
      else if (kind === 'update') h.update?.(structuredClone(obj), structuredClone(old!));
      else h.delete?.(structuredClone(obj));
    }
  }

  #record(a: Action): void {
    this.actions.push(a);
    const err = this.failWith?.(a);
    if (err) throw err;
  }

  #finalized(ref: ResourceRef, o: KObject): boolean {
    if (!o.metadata.deletionTimestamp || o.metadata.finalizers?.length) return false;
    return !(ref.resource === 'namespaces' && o.spec?.finalizers?.length);
  }

  #write(ref: ResourceRef, next: KObject, old: KObject): KObject {
    const k = key(old.metadata.namespace, old.metadata.name!);
    if (this.#finalized(ref, next)) {
      this.#bucket(ref).delete(k);
      this.#emit(ref, 'delete', old);
      return structuredClone(next);
    }
    next.metadata.resourceVersion = String(++this.#rv);
    this.#bucket(ref).set(k, next);
    this.#emit(ref, 'update', next, old);
    return structuredClone(next);
  }

  async get(ref: ResourceRef, namespace: string | undefined, name: string): Promise<KObject> {
    this.#record({ verb: 'get', resource: ref.resource, namespace, name });
    const o = this.find(ref, namespace, name);
    if (!o) throw notFound(ref.resource, name);
    return o;
  }

  async list(ref: ResourceRef, namespace?: string, _opts: ListOptions = {}): Promise<{ metadata: { resourceVersion: string }; items: KObject[] }> {
    this.#record({ verb: 'list', resource: ref.resource, namespace });
    return { metadata: { resourceVersion: String(this.#rv) }, items: this.objects(ref, namespace) };
  }

  async create(ref: ResourceRef, namespace: string | undefined, obj: KObject): Promise<KObject> {
    if (!obj.metadata.name && obj.metadata.generateName) obj = { ...obj, metadata: { ...obj.metadata, name: obj.metadata.generateName + nameSuffix() } };
    const name = obj.metadata.name!;
    this.#record({ verb: 'create', resource: ref.resource, namespace, name, body: obj });
    if (ref.namespaced && namespace) {
      const ns = this.#bucket(refs.namespaces).get(namespace);
      if (ns?.metadata.deletionTimestamp) {
        throw new ApiError(403, {
          kind: 'Status',
          status: 'Failure',
          reason: 'Forbidden',
          code: 403,
          message: `${ref.resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
          details: { name, kind: ref.resource, causes: [{ type: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] },
        });
      }
    }
    if (this.#bucket(ref).has(key(ref.namespaced ? namespace : undefined, name))) {
      throw new ApiError(409, { kind: 'Status', status: 'Failure', reason: 'AlreadyExists', code: 409, message: `${ref.resource} "${name}" already exists` });
    }
    return this.seed(ref, { ...obj, metadata: { ...obj.metadata, namespace: ref.namespaced ? namespace : undefined } });
  }

  async update(ref: ResourceRef, obj: KObject, sub?: string): Promise<KObject> {
    const namespace = obj.metadata.namespace;
    const name = obj.metadata.name!;
    this.#record({ verb: 'update', resource: ref.resource, namespace, name, subresource: sub, body: obj });
    const old = this.#bucket(ref).get(key(namespace, name));
    if (!old) throw notFound(ref.resource, name);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflict(ref.resource, name);
    let next: KObject;
    if (sub === 'status') {
      next = { ...structuredClone(old), status: structuredClone(obj.status) };
      // As the API server's Deployment status strategy: annotations written with the status are kept.
      if (ref.resource === 'deployments') next.metadata = { ...next.metadata, annotations: structuredClone(obj.metadata.annotations) };
    }
    else if (sub === 'finalize') next = { ...structuredClone(old), spec: { ...old.spec, finalizers: obj.spec?.finalizers ?? [] } };
    else next = { ...structuredClone(obj), status: structuredClone(old.status) };
    next.metadata = { ...next.metadata, uid: old.metadata.uid, deletionTimestamp: old.metadata.deletionTimestamp };
    if (old.metadata.generation !== undefined) {
      next.metadata.generation = old.metadata.generation + (sub === undefined && JSON.stringify(old.spec) !== JSON.stringify(next.spec) ? 1 : 0);
    }
    if (!next.metadata.deletionTimestamp) delete next.metadata.deletionTimestamp;
    return this.#write(ref, next, old);
  }

  async patch(ref: ResourceRef, namespace: string | undefined, name: string, patch: unknown, type: 'merge' | 'json' | 'strategic' = 'merge', sub?: string): Promise<KObject> {
    this.#record({ verb: 'patch', resource: ref.resource, namespace, name, subresource: sub, body: patch });
    if (type === 'json') throw new Error(`fake cluster supports only merge and strategic patches, got ${type}`);
    const old = this.#bucket(ref).get(key(ref.namespaced ? namespace : undefined, name));
    if (!old) throw notFound(ref.resource, name);
    const p = patch as { metadata?: { resourceVersion?: string; uid?: string } };
    if (p.metadata?.resourceVersion && p.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflict(ref.resource, name);
    if (p.metadata?.uid && p.metadata.uid !== old.metadata.uid) throw conflict(ref.resource, name, 'Precondition failed: UID mismatch');
    const next = (type === 'strategic' ? strategicPatch(structuredClone(old), patch as Record<string, unknown>) : mergePatch(structuredClone(old), patch)) as KObject;
    next.metadata.uid = old.metadata.uid;
    if (old.metadata.generation !== undefined) {
      next.metadata.generation = old.metadata.generation + (sub === undefined && JSON.stringify(old.spec) !== JSON.stringify(next.spec) ? 1 : 0);
    }
    return this.#write(ref, next, old);
  }

  async delete(ref: ResourceRef, namespace: string | undefined, name: string, options: Record<string, unknown> = {}): Promise<KObject> {
    this.#record({ verb: 'delete', resource: ref.resource, namespace, name, body: options });
    return this.#delete(ref, namespace, name, options);
  }

  #delete(ref: ResourceRef, namespace: string | undefined, name: string, options: Record<string, unknown>): KObject {
    const k = key(ref.namespaced ? namespace : undefined, name);
    const old = this.#bucket(ref).get(k);
    if (!old) throw notFound(ref.resource, name);
    const pre = options.preconditions as { uid?: string; resourceVersion?: string } | undefined;
    if (pre?.uid && pre.uid !== old.metadata.uid) throw conflict(ref.resource, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) throw conflict(ref.resource, name);
    const policy = options.propagationPolicy as string | undefined;
    const finalizers = new Set(old.metadata.finalizers ?? []);
    if (policy === 'Orphan') {
      finalizers.add('orphan');
      finalizers.delete('foregroundDeletion');
    } else if (policy === 'Foreground') {
      finalizers.add('foregroundDeletion');
      finalizers.delete('orphan');
    } else if (policy === 'Background') {
      finalizers.delete('orphan');
      finalizers.delete('foregroundDeletion');
    }
    const isNamespace = ref.resource === 'namespaces' && ref.group === '';
    if (!finalizers.size && !(isNamespace && old.spec?.finalizers?.length)) {
      this.#bucket(ref).delete(k);
      this.#emit(ref, 'delete', old);
      return structuredClone(old);
    }
    const next = structuredClone(old);
    next.metadata.finalizers = [...finalizers];
    if (!finalizers.size) delete next.metadata.finalizers;
    next.metadata.deletionTimestamp ??= '2025-01-01T00:01:00Z';
    if (isNamespace) next.status = { ...next.status, phase: 'Terminating' };
    if (JSON.stringify(next) === JSON.stringify(old)) return structuredClone(old);
    next.metadata.resourceVersion = String(++this.#rv);
    this.#bucket(ref).set(k, next);
    this.#emit(ref, 'update', next, old);
    return structuredClone(next);
  }

  async request<T = KObject>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, 'https://fake');
    const p = url.pathname;
    if (method === 'GET' && p === '/api/v1') return this.#resourceList('', 'v1') as T;
    if (method === 'GET' && p === '/apis') {
      const groups = [...new Set(this.#resources.filter((x) => x.group).map((x) => x.group))];
      return {
        kind: 'APIGroupList',
        groups: groups.map((g) => {
          const v = this.#resources.find((x) => x.group === g)!.version;
          return { name: g, versions: [{ groupVersion: `${g}/${v}`, version: v }], preferredVersion: { groupVersion: `${g}/${v}`, version: v } };
        }),
      } as T;
    }
    const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
    if (method === 'GET' && gv) return this.#resourceList(gv[1]!, gv[2]!) as T;
    const coll = /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)$/.exec(p) ?? /^\/apis\/[^/]+\/[^/]+\/namespaces\/([^/]+)\/([^/]+)$/.exec(p);
    if (method === 'DELETE' && coll) {
      const group = p.startsWith('/apis/') ? p.split('/')[2]! : '';
      const ref = this.#resources.find((x) => x.group === group && x.resource === coll[2]);
      if (!ref) throw notFound(coll[2]!, '');
      const namespace = decodeURIComponent(coll[1]!);
      this.#record({ verb: 'deletecollection', resource: ref.resource, namespace, body });
      if (!ref.verbs.includes('deletecollection')) {
        throw new ApiError(405, { kind: 'Status', status: 'Failure', reason: 'MethodNotAllowed', code: 405, message: 'the server does not allow this method on the requested resource' });
      }
      const items = this.objects(ref, namespace).map((o) => this.#delete(ref, namespace, o.metadata.name!, (body ?? {}) as Record<string, unknown>));
      return { kind: `${ref.kind}List`, items } as T;
    }
    throw notFound(p, '');
  }

  #resourceList(group: string, version: string): unknown {
    const rs = this.#resources.filter((x) => x.group === group && x.version === version);
    if (!rs.length) throw notFound(`${group}/${version}`, '');
    return {
      kind: 'APIResourceList',
      groupVersion: group ? `${group}/${version}` : version,
      resources: rs.flatMap((x) => [
        { name: x.resource, kind: x.kind, namespaced: x.namespaced, verbs: x.verbs },
        { name: `${x.resource}/status`, kind: x.kind, namespaced: x.namespaced, verbs: ['get', 'patch', 'update'] },
      ]),
    };
  }
}

function key(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const silentLog = { info: () => {}, error: () => {}, debug: () => {} };
