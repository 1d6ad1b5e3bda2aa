// The one generic store: every kind's create/get/list/update/patch/delete/watch, driven by its strategy.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Backend } from '../../storage/backend.ts';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError } from '../../storage/errors.ts';
import { StatusError } from '../../machinery/status-error.ts';
import { fieldInvalid, type FieldError } from '../../machinery/field-errors.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../machinery/meta-validation.ts';
import { parseSelector, type Selector } from '../../machinery/labels.ts';
import { parseFieldSelector, type FieldSelector } from '../../machinery/field-selector.ts';
import type { Codec } from './codec.ts';
import type { KObject } from './kobject.ts';
import type { RequestContext } from './request-context.ts';
import type { ResourceDefinition } from './resource.ts';
import type { ResourceHooks, Undo } from './strategy.ts';
import type { ObjectEvent, WatchHub } from '../watch/watch-hub.ts';
import type { Admission } from '../extension.ts';

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KObject;
  /** False while finalizers or a grace period keep the object. */
  deleted: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchQuery extends ListQuery {
  sendInitialEvents?: boolean;
}

/** Lets admission code look into other kinds (a namespace's existence) without HTTP. */
export interface StoreLookup {
  namespacePhase(name: string): Promise<'Active' | 'Terminating' | undefined>;
}

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';
/** Upstream's names.SimpleNameGenerator: the base is cut to 63 - 5 characters before the random suffix. */
const maxGeneratedBaseLength = 58;
const randomSuffix = () => Array.from({ length: 5 }, () => nameChars[Math.floor(Math.random() * nameChars.length)]).join('');
export const nowTimestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const maxPatchRetries = 5;

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: string; rv?: number; start?: string };
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad');
    return { rv: t.rv, start: t.start };
  } catch {
    throw StatusError.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

const tooOldContinue =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function parseResourceVersion(rv: string | undefined, what = 'resourceVersion'): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) throw StatusError.badRequest(`invalid ${what}: ${JSON.stringify(rv)}`);
  return Number(rv);
}

/** Equal as stored JSON (absent and undefined fields alike, key order ignored), apart from resourceVersion. */
/** Whether a write changes nothing; a change of field ownership alone (managedFields) is a change. */
function sameContent(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => JSON.parse(JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } }));
  return isDeepStrictEqual(strip(a), strip(b));
}

/** A subresource write carries the field manager's managedFields (an explicit undefined clears them). */
function keepManagedFields(merged: KObject, written: KObject): void {
  if (!Object.hasOwn(written.metadata, 'managedFields')) return;
  if (written.metadata.managedFields === undefined) delete merged.metadata.managedFields;
  else merged.metadata.managedFields = written.metadata.managedFields;
}

export class Store {
  readonly def: ResourceDefinition;
  readonly #backend: Backend;
  readonly #codec: Codec;
  readonly #hub: WatchHub;
  readonly #lookup: StoreLookup;
  readonly #hooks: ResourceHooks;
  readonly #admission: Admission[];
  readonly #storageGroup: string;
  readonly #storageResource: string;
  readonly #storageApiVersion: string;

  constructor(
    def: ResourceDefinition,
    deps: { backend: Backend; codec: Codec; hub: WatchHub; lookup: StoreLookup; hooks?: ResourceHooks; admission?: Admission[] },
  ) {
    this.def = def;
    this.#backend = deps.backend;
    this.#codec = deps.codec;
    this.#hub = deps.hub;
    this.#lookup = deps.lookup;
    this.#hooks = deps.hooks ?? {};
    this.#admission = deps.admission ?? [];
    this.#storageGroup = def.storageResource?.group ?? def.group;
    this.#storageResource = def.storageResource?.resource ?? def.resource;
    this.#storageApiVersion = this.#storageGroup ? `${this.#storageGroup}/${def.storageVersion}` : def.storageVersion;
  }

  get groupResource() {
    return { group: this.def.group, resource: this.def.resource };
  }

  get groupKind() {
    return { group: this.def.group, kind: this.def.kind };
  }

  prefix(namespace?: string): string {
    const base = `/registry/${this.#storageGroup || 'core'}/${this.#storageResource}/`;
    return this.def.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  key(namespace: string | undefined, name: string): string {
    return this.prefix(this.def.namespaced ? namespace : undefined) + name;
  }

  #decode = (kv: Parameters<Codec['decode']>[0]): KObject => {
    const obj = this.#codec.decode(kv);
    obj.apiVersion = this.#storageApiVersion;
    obj.kind = this.def.kind;
    return obj;
  };

  #encode(obj: KObject): string {
    return this.#codec.encode(obj, !!this.def.encrypted);
  }

  async #read(namespace: string | undefined, name: string): Promise<KObject> {
    const kv = await this.#backend.get(this.key(namespace, name));
    if (!kv) throw StatusError.notFound(this.groupResource, name);
    return this.#decode(kv);
  }

  async get(namespace: string | undefined, name: string): Promise<KObject> {
    return this.#read(namespace, name);
  }

  /** The fields a field selector may test, as upstream's GetAttrs. */
  fieldsOf(obj: KObject): Record<string, string> {
    const f: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
    if (this.def.namespaced) f['metadata.namespace'] = obj.metadata.namespace ?? '';
    return { ...f, ...(this.def.strategy.selectableFields?.(obj) ?? {}) };
  }

  #selectors(q: ListQuery): { labels?: Selector; fields?: FieldSelector } {
    let labels: Selector | undefined;
    let fields: FieldSelector | undefined;
    try {
      if (q.labelSelector) labels = parseSelector(q.labelSelector);
    } catch (e) {
      throw StatusError.badRequest(`unable to parse requirement: ${(e as Error).message}`);
    }
    try {
      if (q.fieldSelector) fields = parseFieldSelector(q.fieldSelector);
    } catch (e) {
      throw StatusError.badRequest((e as Error).message);
    }
    if (fields) {
      const known = this.fieldsOf({ metadata: {} } as KObject);
      for (const r of fields.requirements) {
        if (!(r.field in known)) {
          throw StatusError.badRequest(`field label not supported: ${r.field}`);
        }
      }
    }
    return { labels: labels?.isEmpty() ? undefined : labels, fields: fields?.isEmpty() ? undefined : fields };
  }

  #matcher(q: ListQuery): (o: KObject) => boolean {
    const { labels, fields } = this.#selectors(q);
    if (!labels && !fields) return () => true;
    return (o) => (!labels || labels.matches(o.metadata.labels)) && (!fields || fields.matches(this.fieldsOf(o)));
  }

  async list(namespace: string | undefined, q: ListQuery): Promise<ListResult> {
    const matches = this.#matcher(q);
    const prefix = this.prefix(namespace);
    const limit = q.limit && q.limit > 0 ? q.limit : 0;
    let revision: number | undefined;
    let start: string | undefined;
    if (q.continue) {
      const t = decodeContinue(q.continue);
      revision = t.rv;
      start = prefix + t.start;
      if (!start.startsWith(prefix)) throw StatusError.badRequest('continue key is not valid: continue key has wrong prefix');
    } else if (q.resourceVersionMatch === 'Exact') {
      revision = parseResourceVersion(q.resourceVersion);
      if (revision === undefined) {
        throw StatusError.badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
      }
    } else {
      parseResourceVersion(q.resourceVersion);
    }
    const items: KObject[] = [];
    let more = false;
    let lastKey = '';
    try {
      for (;;) {
        const batchSize = limit ? Math.max(limit - items.length, limit) : 0;
        const r = await this.#backend.list(prefix, { startKey: start, limit: batchSize, revision });
        revision = r.revision;
        let i = 0;
        for (; i < r.items.length; i++) {
          const kv = r.items[i];
          const obj = this.#decode(kv);
          lastKey = kv.key;
          if (!matches(obj)) continue;
          items.push(obj);
          if (limit && items.length === limit) break;
        }
        const leftInBatch = i < r.items.length - 1;
        if (limit && items.length === limit) {
          more = leftInBatch || r.more;
          break;
        }
        if (!r.more) break;
        start = lastKey + '\u0000';
      }
    } catch (e) {
      if (e instanceof CompactedError) {
        if (q.continue) throw StatusError.expired(tooOldContinue);
        throw StatusError.expired(`resourceVersion ${revision} is too old`);
      }
      throw e;
    }
    const result: ListResult = { items, resourceVersion: String(revision ?? (await this.#backend.currentRevision())) };
    if (more) result.continue = encodeContinue({ rv: revision!, start: lastKey.slice(prefix.length) + '\u0000' });
    return result;
  }

  async #admitNamespace(namespace: string | undefined, creating: boolean, name = ''): Promise<void> {
    if (!this.def.namespaced || !namespace) return;
    const phase = await this.#lookup.namespacePhase(namespace);
    if (!phase) throw StatusError.notFound({ group: '', resource: 'namespaces' }, namespace);
    if (phase === 'Terminating' && creating) {
      const err = StatusError.forbidden(
        this.groupResource,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
      err.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
      throw err;
    }
  }

  #checkNamespace(obj: KObject, namespace: string | undefined): void {
    if (!this.def.namespaced) {
      if (obj.metadata.namespace) delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
      throw StatusError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (namespace) obj.metadata.namespace = namespace;
  }

  #validateCreate(obj: KObject): FieldError[] {
    const errs: FieldError[] = validateObjectMeta(obj.metadata, {
      namespaced: this.def.namespaced,
      nameValidation: this.def.strategy.nameValidation ?? 'dns1123Subdomain',
    });
    errs.push(...(this.def.strategy.validate?.(obj) ?? []));
    return errs;
  }

  #validateUpdate(obj: KObject, old: KObject, subresource: string | undefined): FieldError[] {
    const errs: FieldError[] = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const s = this.def.strategy;
    const validate = subresource === 'status' && s.validateStatusUpdate ? s.validateStatusUpdate : s.validateUpdate;
    errs.push(...(validate?.(obj, old) ?? []));
    return errs;
  }

  async create(namespace: string | undefined, input: KObject, ctx: RequestContext): Promise<KObject> {
    const obj = structuredClone(input);
    obj.metadata ??= {};
    this.#checkNamespace(obj, namespace);
    // Admission names an object by its generateName until the store has generated its name (admission.NewForbidden).
    await this.#admitNamespace(obj.metadata.namespace, true, obj.metadata.name || obj.metadata.generateName);
    this.def.strategy.defaults?.(obj);
    for (const a of this.#admission) if (a.mutating) await a.admit('create', this.def, obj, undefined, ctx);
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName.slice(0, maxGeneratedBaseLength) + randomSuffix();
    // System fields first, as upstream's store does: a strategy may build on the uid (a Job's selector).
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = nowTimestamp();
    this.def.strategy.prepareForCreate?.(obj);
    delete obj.metadata.resourceVersion;
    delete obj.metadata.deletionTimestamp;
    delete obj.metadata.deletionGracePeriodSeconds;
    delete obj.metadata.selfLink;
    const undo = await this.#hooks.beforeCreate?.(obj);
    try {
      const errs = this.#validateCreate(obj);
      if (errs.length) throw StatusError.invalid(this.groupKind, obj.metadata.name ?? '', errs);
      for (const a of this.#admission) if (!a.mutating) await a.admit('create', this.def, obj, undefined, ctx);
      ctx.warnings.push(...(this.def.strategy.warnings?.(obj) ?? []));
      if (ctx.dryRun) {
        undo?.rollback();
        return obj;
      }
      const kv = await this.#backend.create(this.key(obj.metadata.namespace, obj.metadata.name!), this.#encode(obj));
      undo?.commit();
      obj.metadata.resourceVersion = String(kv.modRevision);
      await this.#hub.waitFor(kv.modRevision);
      return obj;
    } catch (e) {
      undo?.rollback();
      if (e instanceof KeyExistsError) throw StatusError.alreadyExists(this.groupResource, obj.metadata.name!);
      throw e;
    }
  }

  /**
   * Replaces the object (or one of its subresources) with `input`. The caller's resourceVersion, when given,
   * must match the stored one. `subresource` 'status' changes only status; '' changes everything but status
   * when the kind has a status subresource.
   */
  async update(
    namespace: string | undefined,
    name: string,
    input: KObject,
    ctx: RequestContext,
    opts: { subresource?: string; expectRevision?: number } = {},
  ): Promise<{ object: KObject; created: boolean }> {
    let old: KObject;
    try {
      old = await this.#read(namespace, name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404 && this.def.allowCreateOnUpdate && !opts.subresource) {
        if (input.metadata?.resourceVersion) throw e;
        return { object: await this.create(namespace, input, ctx), created: true };
      }
      throw e;
    }
    let obj = structuredClone(input);
    obj.metadata ??= {};
    this.#checkNamespace(obj, namespace);
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw StatusError.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    const wanted = obj.metadata.resourceVersion ? parseResourceVersion(obj.metadata.resourceVersion) : opts.expectRevision;
    if (wanted !== undefined && String(wanted) !== old.metadata.resourceVersion) {
      throw StatusError.optimisticLock(this.groupResource, name);
    }
    if (opts.subresource === 'status') {
      const merged = structuredClone(old);
      merged.status = obj.status;
      this.def.strategy.prepareForStatusUpdate?.(merged, obj);
      if (obj.metadata.resourceVersion) merged.metadata.resourceVersion = obj.metadata.resourceVersion;
      keepManagedFields(merged, obj);
      obj = merged;
    } else if (opts.subresource === 'finalize') {
      const merged = structuredClone(old);
      merged.spec = { ...(merged.spec ?? {}), finalizers: obj.spec?.finalizers ?? [] };
      keepManagedFields(merged, obj);
      obj = merged;
    } else {
      this.def.strategy.defaults?.(obj);
      for (const a of this.#admission) if (a.mutating) await a.admit('update', this.def, obj, old, ctx);
      if (this.def.subresources.status) obj.status = structuredClone(old.status);
      this.def.strategy.prepareForUpdate?.(obj, old);
    }
    // System fields always come from the stored object.
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) {
      obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
      obj.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete obj.metadata.deletionTimestamp;
      delete obj.metadata.deletionGracePeriodSeconds;
    }
    if (old.metadata.generation !== undefined && obj.metadata.generation === undefined) obj.metadata.generation = old.metadata.generation;
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    const hooked = !opts.subresource && this.#hooks.beforeUpdate;
    const undo: Undo | undefined = hooked ? await this.#hooks.beforeUpdate!(obj, old) : undefined;
    try {
      const errs = this.#validateUpdate(obj, old, opts.subresource);
      if (errs.length) throw StatusError.invalid(this.groupKind, name, errs);
      if (!opts.subresource) for (const a of this.#admission) if (!a.mutating) await a.admit('update', this.def, obj, old, ctx);
      ctx.warnings.push(...(this.def.strategy.warnings?.(obj, old) ?? []));
      if (sameContent(obj, old)) {
        undo?.rollback();
        return { object: old, created: false };
      }
      if (this.#finalized(obj)) {
        undo?.rollback();
        if (ctx.dryRun) return { object: obj, created: false };
        const r = await this.#remove(obj, Number(old.metadata.resourceVersion));
        return { object: r, created: false };
      }
      if (ctx.dryRun) {
        undo?.rollback();
        return { object: obj, created: false };
      }
      const kv = await this.#backend.update(this.key(namespace, name), this.#encode(obj), Number(old.metadata.resourceVersion));
      undo?.commit();
      obj.metadata.resourceVersion = String(kv.modRevision);
      await this.#hub.waitFor(kv.modRevision);
      return { object: obj, created: false };
    } catch (e) {
      undo?.rollback();
      if (e instanceof ConflictError) throw StatusError.optimisticLock(this.groupResource, name);
      if (e instanceof KeyNotFoundError) throw StatusError.notFound(this.groupResource, name);
      throw e;
    }
  }

  /** Reads, applies `mutate`, writes; retried on conflicts unless the patch itself pinned a resourceVersion. */
  async patch(
    namespace: string | undefined,
    name: string,
    mutate: (current: KObject) => KObject,
    ctx: RequestContext,
    opts: { subresource?: string } = {},
  ): Promise<KObject> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.#read(namespace, name);
      const next = mutate(structuredClone(current));
      const pinned = next.metadata?.resourceVersion !== current.metadata.resourceVersion && next.metadata?.resourceVersion;
      if (!pinned) next.metadata = { ...next.metadata, resourceVersion: undefined };
      try {
        const r = await this.update(namespace, name, next, ctx, {
          subresource: opts.subresource,
          expectRevision: pinned ? undefined : Number(current.metadata.resourceVersion),
        });
        return r.object;
      } catch (e) {
        if (!pinned && attempt < maxPatchRetries && e instanceof StatusError && e.code === 409 && e.reason === 'Conflict') continue;
        throw e;
      }
    }
  }

  /**
   * Storage.GuaranteedUpdate: reads, applies `tryUpdate` and writes its result as is (no strategy, validation,
   * admission or field management), re-reading when the object changed meanwhile. Subresources that rewrite what
   * the kind's own update refuses (pods/binding setting spec.nodeName) write through it; `tryUpdate` may throw.
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    tryUpdate: (current: KObject) => KObject,
    opts: { dryRun?: boolean } = {},
  ): Promise<KObject> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.#read(namespace, name);
      const next = tryUpdate(structuredClone(current));
      next.metadata.resourceVersion = current.metadata.resourceVersion;
      if (opts.dryRun || sameContent(next, current)) return next;
      try {
        const kv = await this.#backend.update(this.key(namespace, name), this.#encode(next), Number(current.metadata.resourceVersion));
        next.metadata.resourceVersion = String(kv.modRevision);
        await this.#hub.waitFor(kv.modRevision);
        return next;
      } catch (e) {
        if (e instanceof ConflictError && attempt < maxPatchRetries) continue;
        if (e instanceof ConflictError) throw StatusError.optimisticLock(this.groupResource, name);
        if (e instanceof KeyNotFoundError) throw StatusError.notFound(this.groupResource, name);
        throw e;
      }
    }
  }

  /** Upstream's ShouldDeleteDuringUpdate: being deleted, no finalizers left, and no grace period still running. */
  #finalized(obj: KObject): boolean {
    if (!obj.metadata.deletionTimestamp) return false;
    if (obj.metadata.finalizers?.length) return false;
    if ((obj.metadata.deletionGracePeriodSeconds ?? 0) !== 0) return false;
    if (this.def.kind === 'Namespace' && this.def.group === '' && obj.spec?.finalizers?.length) return false;
    return true;
  }

  async #remove(obj: KObject, revision: number): Promise<KObject> {
    try {
      const kv = await this.#backend.delete(this.key(obj.metadata.namespace, obj.metadata.name!), revision);
      this.#hooks.afterDelete?.(obj);
      await this.#hub.waitFor(kv.modRevision);
      return obj;
    } catch (e) {
      if (e instanceof ConflictError) throw StatusError.optimisticLock(this.groupResource, obj.metadata.name!);
      if (e instanceof KeyNotFoundError) throw StatusError.notFound(this.groupResource, obj.metadata.name!);
      throw e;
    }
  }

  async delete(
    namespace: string | undefined,
    name: string,
    options: DeleteOptions,
    ctx: RequestContext,
  ): Promise<DeleteResult> {
    for (let attempt = 0; ; attempt++) {
      const obj = await this.#read(namespace, name);
      const pre = options.preconditions;
      if (pre?.uid && pre.uid !== obj.metadata.uid) {
        throw StatusError.conflict(
          this.groupResource,
          name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
        );
      }
      if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
        throw StatusError.conflict(
          this.groupResource,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
        );
      }
      const policy = options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : options.orphanDependents === false ? 'Foreground' : undefined);
      if (policy && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
        throw StatusError.invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [
          fieldInvalid('propagationPolicy', policy, 'propagationPolicy must be one of: Background, Foreground, Orphan'),
        ]);
      }
      const next = structuredClone(obj);
      if (!next.metadata.deletionTimestamp) this.def.strategy.prepareForDelete?.(next);
      const finalizers = new Set(next.metadata.finalizers ?? []);
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
      const isNamespace = this.def.kind === 'Namespace' && this.def.group === '';
      // Graceful deletion (pods): upstream's rest.BeforeDelete. A running grace period may only be shortened.
      let graceSeconds = 0;
      const gracefulKind = this.def.strategy.gracefulDeleteSeconds;
      if (gracefulKind) {
        const current = obj.metadata.deletionGracePeriodSeconds;
        if (obj.metadata.deletionTimestamp && current) {
          const requested = options.gracePeriodSeconds;
          if (requested === undefined || requested >= current) return { object: obj, deleted: false };
          const started = Date.parse(obj.metadata.deletionTimestamp) - current * 1000;
          next.metadata.deletionTimestamp = new Date(started + requested * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
          next.metadata.deletionGracePeriodSeconds = requested;
          graceSeconds = requested;
        } else if (!obj.metadata.deletionTimestamp) {
          graceSeconds = gracefulKind(obj, options.gracePeriodSeconds);
          if (graceSeconds > 0) {
            next.metadata.deletionTimestamp = new Date(Date.now() + graceSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
            next.metadata.deletionGracePeriodSeconds = graceSeconds;
          }
        }
      }
      const graceful = graceSeconds > 0 || finalizers.size > 0 || (isNamespace && (next.spec?.finalizers?.length ?? 0) > 0);
      if (!graceful) {
        if (ctx.dryRun) return { object: obj, deleted: true };
        try {
          const removed = await this.#remove(obj, Number(obj.metadata.resourceVersion));
          return { object: removed, deleted: true };
        } catch (e) {
          if (attempt < maxPatchRetries && e instanceof StatusError && e.reason === 'Conflict') continue;
          throw e;
        }
      }
      next.metadata.finalizers = [...finalizers];
      if (!next.metadata.finalizers.length) delete next.metadata.finalizers;
      if (!next.metadata.deletionTimestamp) {
        next.metadata.deletionTimestamp = nowTimestamp();
        next.metadata.deletionGracePeriodSeconds = 0;
      } else if (graceSeconds === 0 && gracefulKind && obj.metadata.deletionGracePeriodSeconds) {
        // A grace period shortened to 0 with finalizers still present: they decide now.
        next.metadata.deletionGracePeriodSeconds = 0;
      }
      if (isNamespace) next.status = { ...(next.status ?? {}), phase: 'Terminating' };
      if (sameContent(next, obj)) return { object: obj, deleted: false };
      if (ctx.dryRun) return { object: next, deleted: false };
      try {
        const kv = await this.#backend.update(this.key(namespace, name), this.#encode(next), Number(obj.metadata.resourceVersion));
        next.metadata.resourceVersion = String(kv.modRevision);
        await this.#hub.waitFor(kv.modRevision);
        return { object: next, deleted: false };
      } catch (e) {
        if (e instanceof ConflictError && attempt < maxPatchRetries) continue;
        if (e instanceof KeyNotFoundError) throw StatusError.notFound(this.groupResource, name);
        throw e;
      }
    }
  }

  async deleteCollection(
    namespace: string | undefined,
    q: ListQuery,
    options: DeleteOptions,
    ctx: RequestContext,
  ): Promise<ListResult> {
    const list = await this.list(namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector });
    const items: KObject[] = [];
    for (const item of list.items) {
      try {
        items.push((await this.delete(item.metadata.namespace, item.metadata.name!, options, ctx)).object);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    return { items, resourceVersion: String(this.#hub.revision) };
  }

  /**
   * Streams changes as watch events. With no resourceVersion (or "0") the current state comes first as ADDED
   * events. Returns a function that stops the watch.
   */
  async watch(
    namespace: string | undefined,
    q: WatchQuery,
    send: (type: WatchEventType, obj: KObject) => void,
    onClose: (err: StatusError) => void = () => {},
  ): Promise<() => void> {
    const matches = this.#matcher(q);
    const rv = parseResourceVersion(q.resourceVersion);
    let after: number;
    const initial = rv === undefined || rv === 0 || q.sendInitialEvents === true;
    if (initial) {
      const list = await this.list(namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector });
      for (const item of list.items) send('ADDED', item);
      after = Number(list.resourceVersion);
      if (q.sendInitialEvents) {
        send('BOOKMARK', this.bookmark(after, true));
      }
    } else {
      after = rv;
    }
    const prefix = this.prefix(namespace);
    const onEvents = (events: ObjectEvent[]) => {
      for (const e of events) {
        const cur = this.#withTypeMeta(e.object);
        if (e.type === 'delete') {
          if (matches(cur)) send('DELETED', cur);
          continue;
        }
        const now = matches(cur);
        const before = e.prev ? matches(this.#withTypeMeta(e.prev)) : false;
        if (now && (e.created || !before)) send('ADDED', cur);
        else if (now) send('MODIFIED', cur);
        else if (before) send('DELETED', cur);
      }
    };
    try {
      return await this.#hub.subscribe(prefix, after, onEvents, (err) =>
        onClose(err instanceof CompactedError ? StatusError.expired(`too old resource version: ${after} (${err.compacted})`) : StatusError.internal(err)),
      );
    } catch (e) {
      if (e instanceof CompactedError) throw StatusError.expired(`too old resource version: ${after} (${e.compacted})`);
      throw e;
    }
  }

  bookmark(revision: number, initialEventsEnd = false): KObject {
    const obj: KObject = {
      kind: this.def.kind,
      apiVersion: this.#storageApiVersion,
      metadata: { resourceVersion: String(revision) },
    };
    if (initialEventsEnd) obj.metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    return obj;
  }

  get currentRevision(): number {
    return this.#hub.revision;
  }

  #withTypeMeta(obj: KObject): KObject {
    if (obj.kind === this.def.kind) return obj;
    return {
      ...obj,
      apiVersion: this.#storageApiVersion,
      kind: this.def.kind,
    };
  }
}
