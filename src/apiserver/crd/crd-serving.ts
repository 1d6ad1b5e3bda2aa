// Serves CustomResourceDefinitions: the CRD kind itself, and for every CRD a live resource with its names and conditions.
//
// The CRD store's in-process watch drives everything. Each change is applied to the registry at once (so a CRD
// is served by the time its create returns), then the status is brought up to date as upstream's naming,
// establishing and finalizer controllers do: acceptedNames with NamesAccepted, Established, and on deletion the
// `customresourcecleanup.apiextensions.k8s.io` finalizer that holds the CRD until its custom resources are gone.
import { createHash } from 'node:crypto';
import { StatusError } from '../../machinery/status-error.ts';
import { allVerbs, type ResourceDefinition } from '../registry/resource.ts';
import { systemContext } from '../registry/request-context.ts';
import type { KObject } from '../registry/kobject.ts';
import type { Store, WatchEventType } from '../registry/store.ts';
import type { Admission, ApiExtension, ApiServerContext } from '../extension.ts';
import { strategy as crdStrategy } from '../resources/apiextensions/customresourcedefinition/strategy.ts';
import { conditionEquivalent, findCondition, setCondition } from '../resources/apiextensions/customresourcedefinition/conditions.ts';
import {
  customResourceCleanupFinalizer,
  type CRDCondition,
  type CRDNames,
  type CustomResourceDefinition,
} from '../resources/apiextensions/customresourcedefinition/types.ts';
import { jsonEqual } from './json-schema.ts';
import { customResourceModel, type CustomResourceModel } from './custom-resource-model.ts';
import { customResourceDefinition } from './served-resource.ts';

export const crdGroup = 'apiextensions.k8s.io';
export const crdResource = 'customresourcedefinitions';

/** The CustomResourceDefinition kind, as apiextensions-apiserver registers it. */
export function crdResourceDefinition(): ResourceDefinition {
  return {
    group: crdGroup,
    versions: [{ version: 'v1' }],
    storageVersion: 'v1',
    kind: 'CustomResourceDefinition',
    listKind: 'CustomResourceDefinitionList',
    resource: crdResource,
    singular: 'customresourcedefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    verbs: allVerbs,
    subresources: { status: true },
    strategy: crdStrategy,
  };
}

/** How long the finalizer waits for custom resources (with finalizers of their own) to go, as upstream. */
const instanceDeletionTimeoutMs = 60_000;

interface Served {
  group: string;
  plural: string;
  /** What the definition was built from, to skip rebuilding it on status-only changes. */
  signature: string;
}

const namesOf = (n: CRDNames | undefined): CRDNames => n ?? {};

export class CustomResourceDefinitionServing {
  readonly #ctx: ApiServerContext;
  /** The latest object of every CRD. */
  readonly #crds = new Map<string, CustomResourceDefinition>();
  /** Accepted names as last computed (a mutation cache: status writes lag behind). */
  readonly #accepted = new Map<string, { group: string; names: CRDNames }>();
  readonly #served = new Map<string, Served>();
  /** The model of every CRD with a storage version, served or not (the finalizer needs it). */
  readonly #models = new Map<string, CustomResourceModel>();
  /** Per-CRD chain of status work, so writes for one CRD never race each other. */
  readonly #work = new Map<string, Promise<void>>();
  #stopWatch: (() => void) | undefined;
  #stopped = false;

  constructor(ctx: ApiServerContext) {
    this.#ctx = ctx;
  }

  install(): void {
    this.#ctx.registry.add(crdResourceDefinition());
    this.#ctx.addAdmission(this.#terminatingAdmission());
    this.#ctx.onStart(() => this.#watch());
    // The CRDs installed at start (Istio, VPA, dabba's own) are Established before the server reports ready.
    this.#ctx.onSettle(() => this.#settled());
    this.#ctx.onStop(async () => {
      this.#stopped = true;
      this.#stopWatch?.();
      await Promise.allSettled([...this.#work.values()]);
    });
  }

  get #store(): Store {
    return this.#ctx.registry.store(crdGroup, crdResource)!;
  }

  /** Refuses new custom resources of a CRD being deleted, as upstream's handler does. */
  #terminatingAdmission(): Admission {
    return {
      name: 'CustomResourceDefinitionTerminating',
      admit: (op, def) => {
        if (op !== 'create') return;
        for (const [name, s] of this.#served) {
          if (s.group !== def.group || s.plural !== def.resource) continue;
          const crd = this.#crds.get(name);
          if (crd && findCondition(crd, 'Terminating')?.status === 'True') {
            const err = StatusError.methodNotSupported({ group: def.group, resource: def.resource }, 'create');
            err.message = 'create not allowed while custom resource definition is terminating';
            throw err;
          }
        }
      },
    };
  }

  async #watch(): Promise<void> {
    if (this.#stopped) return;
    this.#stopWatch = await this.#store.watch(
      undefined,
      {},
      (type, obj) => this.#onEvent(type, obj),
      (err) => {
        this.#ctx.log('customresourcedefinition watch closed, restarting', { error: err.message });
        if (!this.#stopped) setTimeout(() => void this.#watch().catch((e) => this.#ctx.log('customresourcedefinition watch failed', { error: String(e) })), 100);
      },
    );
  }

  #onEvent(type: WatchEventType, obj: KObject): void {
    const crd = obj as CustomResourceDefinition;
    const name = crd.metadata.name ?? '';
    if (type === 'BOOKMARK' || type === 'ERROR' || !name) return;
    if (type === 'DELETED') {
      this.#crds.delete(name);
      this.#accepted.delete(name);
      this.#models.delete(name);
      this.#unserve(name);
      // Names this CRD held may now be free for others in its group.
      for (const [other, o] of this.#crds) if (o.spec?.group === crd.spec?.group) this.#sync(other);
      return;
    }
    this.#crds.set(name, crd);
    this.#sync(name);
  }

  /** Applies a CRD's current state to the registry now and queues its status update. */
  #sync(name: string): void {
    const crd = this.#crds.get(name);
    if (!crd) return;
    const { names, namesAccepted } = this.#calculateNames(crd);
    this.#accepted.set(name, { group: crd.spec?.group ?? '', names });
    const establishedBefore = findCondition(crd, 'Established')?.status === 'True';
    if (namesAccepted.status === 'True' || establishedBefore) this.#serve(name, crd, names);
    else this.#unserve(name);
    this.#enqueue(name);
  }

  #serve(name: string, crd: CustomResourceDefinition, names: CRDNames): void {
    const model = customResourceModel(crd, names);
    if (!model) return this.#unserve(name);
    this.#models.set(name, model);
    const prev = this.#served.get(name);
    const mine = prev !== undefined && prev.group === model.group && prev.plural === model.names.plural;
    // A built-in kind already answers for this group and resource: upstream's built-in handlers come first.
    if (!mine && this.#ctx.registry.store(model.group, model.names.plural)) return this.#unserve(name);
    // With no version served there is nothing in discovery or on the wire.
    if (!model.versions.some((v) => v.served)) return this.#unserve(name);
    // A digest, not the text: the specs of large CRDs would stay in memory twice.
    const signature = createHash('sha256').update(JSON.stringify([crd.spec, names])).digest('base64');
    if (prev?.signature === signature) return;
    if (prev && !mine) this.#ctx.registry.remove(prev.group, prev.plural);
    this.#ctx.registry.add(customResourceDefinition(model));
    this.#served.set(name, { group: model.group, plural: model.names.plural, signature });
  }

  #unserve(name: string): void {
    const prev = this.#served.get(name);
    if (!prev) return;
    this.#served.delete(name);
    this.#ctx.registry.remove(prev.group, prev.plural);
  }

  /** Names used by the other CRDs of `group` (their accepted plural, singular, short names; kinds and list kinds). */
  #namesInGroup(group: string, except: string): { resources: Set<string>; kinds: Set<string> } {
    const resources = new Set<string>();
    const kinds = new Set<string>();
    for (const [name, a] of this.#accepted) {
      if (name === except || a.group !== group) continue;
      for (const r of [a.names.plural, a.names.singular, ...(a.names.shortNames ?? [])]) if (r) resources.add(r);
      for (const k of [a.names.kind, a.names.listKind]) if (k) kinds.add(k);
    }
    return { resources, kinds };
  }

  /** The naming controller's calculation: accepted names and the NamesAccepted condition. */
  #calculateNames(crd: CustomResourceDefinition): { names: CRDNames; namesAccepted: CRDCondition } {
    const name = crd.metadata.name ?? '';
    const { resources, kinds } = this.#namesInGroup(crd.spec?.group ?? '', name);
    const requested = namesOf(crd.spec?.names);
    const accepted = this.#accepted.get(name)?.names ?? namesOf(crd.status?.acceptedNames);
    const next: CRDNames = { ...accepted };
    const cond: CRDCondition = { type: 'NamesAccepted', status: 'Unknown' };
    const conflict = (reason: string, message: string) => {
      cond.status = 'False';
      cond.reason = reason;
      cond.message = message;
    };
    const fresh = (requestedName: string | undefined, acceptedName: string | undefined, used: Set<string>) =>
      requestedName === acceptedName || !used.has(requestedName ?? '') ? undefined : `${JSON.stringify(requestedName ?? '')} is already in use`;
    let e = fresh(requested.plural, accepted.plural, resources);
    if (e) conflict('PluralConflict', e);
    else next.plural = requested.plural;
    e = fresh(requested.singular, accepted.singular, resources);
    if (e) conflict('SingularConflict', e);
    else next.singular = requested.singular;
    if (!jsonEqual(requested.shortNames ?? null, accepted.shortNames ?? null)) {
      const existing = new Set(accepted.shortNames ?? []);
      const errs = (requested.shortNames ?? []).filter((s) => !existing.has(s)).map((s) => fresh(s, '', resources)).filter((x): x is string => !!x);
      if (errs.length) conflict('ShortNamesConflict', errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
      else next.shortNames = requested.shortNames;
    }
    e = fresh(requested.kind, accepted.kind, kinds);
    if (e) conflict('KindConflict', e);
    else next.kind = requested.kind;
    e = fresh(requested.listKind, accepted.listKind, kinds);
    if (e) conflict('ListKindConflict', e);
    else next.listKind = requested.listKind;
    next.categories = requested.categories;
    for (const k of Object.keys(next) as (keyof CRDNames)[]) if (next[k] === undefined) delete next[k];
    if (cond.status === 'Unknown') {
      cond.status = 'True';
      cond.reason = 'NoConflicts';
      cond.message = 'no conflicts found';
    }
    return { names: next, namesAccepted: cond };
  }

  /** Resolves once no status work is queued, except for CRDs being deleted (their cleanup may wait on instances). */
  async #settled(): Promise<void> {
    for (;;) {
      const pending = [...this.#work].filter(([name]) => !this.#crds.get(name)?.metadata.deletionTimestamp).map(([, p]) => p);
      if (!pending.length) return;
      await Promise.allSettled(pending);
    }
  }

  #enqueue(name: string): void {
    const prev = this.#work.get(name) ?? Promise.resolve();
    const next = prev
      .then(() => this.#reconcile(name))
      .catch((e) => this.#ctx.log('customresourcedefinition status update failed', { crd: name, error: String(e) }))
      .finally(() => {
        if (this.#work.get(name) === next) this.#work.delete(name);
      });
    this.#work.set(name, next);
  }

  async #read(name: string): Promise<CustomResourceDefinition | undefined> {
    try {
      return (await this.#store.get(undefined, name)) as CustomResourceDefinition;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  }

  /** Writes status (or, with `main`, the whole object) built by `mutate` from the stored CRD; retried on conflicts. */
  async #write(name: string, mutate: (crd: CustomResourceDefinition) => boolean, main = false): Promise<CustomResourceDefinition | undefined> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.#read(name);
      if (!current || this.#stopped) return undefined;
      const next = structuredClone(current);
      if (!mutate(next)) return current;
      try {
        const r = await this.#store.update(undefined, name, next, systemContext(), main ? {} : { subresource: 'status' });
        return r.object as CustomResourceDefinition;
      } catch (e) {
        if (e instanceof StatusError && e.code === 409) continue;
        if (e instanceof StatusError && e.code === 404) return undefined;
        throw e;
      }
    }
    return undefined;
  }

  async #reconcile(name: string): Promise<void> {
    if (this.#stopped) return;
    const crd = await this.#read(name);
    if (!crd) return;
    if (crd.metadata.deletionTimestamp) {
      if (crd.metadata.finalizers?.includes(customResourceCleanupFinalizer)) await this.#finalize(name);
      return;
    }
    await this.#write(name, (c) => {
      const { names, namesAccepted } = this.#calculateNames(c);
      const before = JSON.stringify(c.status ?? {});
      c.status ??= {};
      if (!jsonEqual(c.status.acceptedNames ?? null, names)) c.status.acceptedNames = names;
      if (!conditionEquivalent(findCondition(c, 'NamesAccepted'), namesAccepted)) setCondition(c, namesAccepted);
      const established = findCondition(c, 'Established');
      if (established?.status !== 'True') {
        const next: CRDCondition =
          namesAccepted.status === 'True'
            ? { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }
            : { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' };
        if (!conditionEquivalent(established, next)) setCondition(c, next);
      }
      return JSON.stringify(c.status) !== before;
    });
  }

  /** The CRD finalizer: deletes every custom resource, then releases the CRD. */
  async #finalize(name: string): Promise<void> {
    const crd = await this.#write(name, (c) => {
      const next: CRDCondition = { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' };
      if (conditionEquivalent(findCondition(c, 'Terminating'), next)) return false;
      setCondition(c, next);
      return true;
    });
    if (!crd) return;
    let outcome: CRDCondition;
    const model = this.#models.get(name);
    const established = findCondition(crd, 'Established')?.status === 'True';
    const overlapping = model !== undefined && !this.#served.has(name) && this.#ctx.registry.store(model.group, model.names.plural) !== undefined;
    if (overlapping) {
      outcome = { type: 'Terminating', status: 'False', reason: 'OverlappingBuiltInResource', message: 'instances overlap with built-in resources in storage' };
    } else if (established && model) {
      outcome = await this.#deleteInstances(name, model);
      if (outcome.status === 'True') {
        await this.#write(name, (c) => (setCondition(c, outcome), true));
        setTimeout(() => !this.#stopped && this.#enqueue(name), 5_000).unref();
        return;
      }
    } else {
      outcome = { type: 'Terminating', status: 'False', reason: 'NeverEstablished', message: 'resource was never established' };
    }
    await this.#write(name, (c) => (setCondition(c, outcome), true));
    await this.#write(
      name,
      (c) => {
        const finalizers = c.metadata.finalizers ?? [];
        if (!finalizers.includes(customResourceCleanupFinalizer)) return false;
        c.metadata.finalizers = finalizers.filter((f) => f !== customResourceCleanupFinalizer);
        return true;
      },
      true,
    );
  }

  async #deleteInstances(name: string, model: CustomResourceModel): Promise<CRDCondition> {
    let store = this.#served.has(name) ? this.#ctx.registry.store(model.group, model.names.plural) : undefined;
    let temporary = false;
    if (!store) {
      // No version is served: reach the stored objects through the storage version for the time of the cleanup.
      store = this.#ctx.registry.add(customResourceDefinition({ ...model, versions: model.versions.map((v) => ({ ...v, served: v.storage })) }));
      temporary = true;
    }
    try {
      return await this.#deleteAll(store);
    } finally {
      if (temporary && !this.#served.has(name)) this.#ctx.registry.remove(model.group, model.names.plural);
    }
  }

  async #deleteAll(store: Store): Promise<CRDCondition> {
    const failed = (reason: string, message: string): CRDCondition => ({ type: 'Terminating', status: 'True', reason, message });
    try {
      const all = await store.list(undefined, {});
      const namespaces = [...new Set(all.items.map((o) => o.metadata.namespace))];
      for (const ns of namespaces) await store.deleteCollection(ns, {}, {}, systemContext());
    } catch (e) {
      return failed('InstanceDeletionFailed', `could not issue all deletes: ${e instanceof Error ? e.message : String(e)}`);
    }
    const deadline = Date.now() + instanceDeletionTimeoutMs;
    for (;;) {
      const left = await store.list(undefined, {});
      if (left.items.length === 0) break;
      if (Date.now() > deadline) {
        return failed('InstanceDeletionCheck', 'could not confirm zero CustomResources remaining: context deadline exceeded');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' };
  }
}

/** The API server extension that serves CustomResourceDefinitions. */
export function customResourceDefinitions(): ApiExtension {
  return { name: 'customresourcedefinitions', install: (ctx) => new CustomResourceDefinitionServing(ctx).install() };
}

