// The field manager dabba installs: upstream's managedfields pipeline (version check, client-side-apply upgrade, first-apply tracking, manager cap, manager identifiers, timestamps, metadata stripping) over the structured merge.
import { StatusError } from '../../machinery/status-error.ts';
import type { KObject } from '../registry/kobject.ts';
import { nowTimestamp } from '../registry/store.ts';
import { applyConflictError } from './apply-conflict.ts';
import type { FieldManager } from './field-manager.ts';
import { FieldSet } from './field-set.ts';
import { KindSchemas, splitApiVersion, type DefinitionSource, type KindSchema } from './kind-schemas.ts';
import { allowedConflicts, buildLastApplied, hasLastApplied, setLastApplied, upgradingManager } from './last-applied.ts';
import {
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  isResetManagedFields,
  managerIdentifier,
  ManagedFieldsDecodeError,
  type Managed,
} from './managed-fields.ts';
import { fieldElement, type JsonValue } from './path-element.ts';
import { TypedValueError, validate } from './typed-value.ts';
import { ApplyConflictError, Updater, type FieldFilter, type ManagedFields, type TypedObject } from './updater.ts';

/** Update entries kept before the oldest are merged into "ancient-changes" (DefaultMaxUpdateManagers). */
const maxUpdateManagers = 10;
const ancientChanges = 'ancient-changes';
const beforeFirstApply = 'before-first-apply';
const currentOperation = 'current-operation';

/** Fields no manager owns: type and identity metadata (stripMetaManager). */
const stripSet = FieldSet.of(
  [fieldElement('apiVersion')],
  [fieldElement('kind')],
  [fieldElement('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [
    fieldElement('metadata'),
    fieldElement(f),
  ]),
);

const statusOnly = fieldElement('status');
const excludeStatus = FieldSet.of([statusOnly]);

/** What one request writes: the kind, the version it speaks and the subresource. */
interface Scope {
  readonly kind: KindSchema;
  readonly version: string;
  readonly apiVersion: string;
  readonly subresource: string | undefined;
  readonly updater: Updater;
}

function gvkString(apiVersion: string | undefined, kind: string | undefined): string {
  const { group, version } = splitApiVersion(apiVersion ?? '');
  return `${group}/${version}, Kind=${kind ?? ''}`;
}

function withoutManagedFields(obj: KObject): KObject {
  const copy = structuredClone(obj);
  copy.metadata ??= {};
  delete copy.metadata.managedFields;
  return copy;
}

/** Writes the managed fields into the object; the key stays (undefined) so a status write can clear them. */
function encodeInto(obj: KObject, managed: Managed): KObject {
  obj.metadata ??= {};
  obj.metadata.managedFields = encodeManagedFields(managed);
  return obj;
}

export interface StructuredFieldManagerOptions {
  /** RFC 3339 seconds, UTC; the store's clock by default. */
  now?: () => string;
}

export class StructuredFieldManager implements FieldManager {
  readonly #kinds: KindSchemas;
  readonly #now: () => string;

  constructor(registry: DefinitionSource, opts: StructuredFieldManagerOptions = {}) {
    this.#kinds = new KindSchemas(registry);
    this.#now = opts.now ?? nowTimestamp;
  }

  #scope(obj: KObject | undefined, subresource: string | undefined): Scope | undefined {
    const kind = this.#kinds.lookup(obj?.apiVersion, obj?.kind);
    if (!kind) return undefined;
    const { version } = splitApiVersion(obj!.apiVersion!);
    const filter = this.#filterFor(kind, subresource);
    const updater = new Updater({
      converter: {
        convert: (o: TypedObject, toApiVersion: string) => {
          const to = splitApiVersion(toApiVersion);
          if (to.group !== kind.def.group || !kind.served(to.version)) return undefined;
          if (o.version === toApiVersion) return o;
          const from = splitApiVersion(o.version).version;
          return { value: kind.convert(o.value, from, to.version), type: kind.type(to.version), version: toApiVersion };
        },
      },
      filter: () => filter,
    });
    return { kind, version, apiVersion: kind.apiVersion(version), subresource, updater };
  }

  /** Reset fields: the main resource never owns status, /status owns only status, /finalize only spec. */
  #filterFor(kind: KindSchema, subresource: string | undefined): FieldFilter | undefined {
    if (subresource === 'status') return (s) => s.only(statusOnly);
    if (subresource === 'finalize') return (s) => s.only(fieldElement('spec'));
    if (subresource === undefined && kind.def.subresources.status) return (s) => s.recursiveDifference(excludeStatus);
    return undefined;
  }

  #typed(scope: Scope, obj: KObject): TypedObject {
    return { value: obj as unknown as JsonValue, type: scope.kind.type(scope.version), version: scope.apiVersion };
  }

  update(live: KObject | undefined, obj: KObject, manager: string, subresource?: string): KObject {
    const scope = this.#scope(obj, subresource) ?? this.#scope(live, subresource);
    if (!scope) return obj;
    if (subresource === 'scale') return this.#updateScale(scope, live, obj, manager);
    const managed = this.#decodeLiveOrNew(live, obj, subresource !== undefined);
    const next = withoutManagedFields(obj);
    try {
      const out = this.#update(scope, live, next, managed, manager);
      return out ? encodeInto(out.object, out.managed) : next;
    } catch {
      // UpdateNoErrors: a write never fails over field tracking; the live object's entries are kept.
      if (live?.metadata?.managedFields) next.metadata.managedFields = live.metadata.managedFields;
      return next;
    }
  }

  /**
   * A write through /scale (upstream's ScaleHandler): only managers owning the replicas take part; if the
   * replicas changed, the writer (an Update with subresource "scale") takes them from everyone else. Entries
   * of versions the kind no longer serves are dropped; scale entries carry no time, as upstream's don't.
   */
  #updateScale(scope: Scope, live: KObject | undefined, obj: KObject, manager: string): KObject {
    const next = withoutManagedFields(obj);
    const scale = scope.kind.def.subresources.scale;
    let parent: Managed;
    try {
      parent = decodeManagedFields(live?.metadata?.managedFields);
    } catch {
      if (live?.metadata?.managedFields) next.metadata.managedFields = live.metadata.managedFields;
      return next;
    }
    if (!scale || !live) return encodeInto(next, parent);
    const replicas = scale.specReplicasPath.split('.').map(fieldElement);
    const mapped = (apiVersion: string) => {
      const { group, version } = splitApiVersion(apiVersion);
      return group === scope.kind.def.group && scope.kind.served(version);
    };
    const owners = [...parent.fields].filter(([, vs]) => mapped(vs.apiVersion) && vs.set.has(replicas)).map(([id]) => id);
    const read = (o: KObject) => scale.specReplicasPath.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
    const out: Managed = { fields: new Map(), times: new Map() };
    // Nobody owned the replicas: like any untracked object, the scale write is not tracked.
    const changed = owners.length > 0 && read(live) !== read(next);
    const id = managerIdentifier({ manager: manager || 'unknown', operation: 'Update', apiVersion: 'autoscaling/v1', subresource: 'scale' });
    for (const [m, vs] of parent.fields) {
      if (!mapped(vs.apiVersion)) continue;
      if (changed && m !== id && owners.includes(m)) {
        const set = vs.set.difference(FieldSet.of(replicas));
        if (set.empty()) continue;
        out.fields.set(m, { ...vs, set });
      } else {
        out.fields.set(m, vs);
      }
      out.times.set(m, parent.times.get(m));
    }
    if (changed && !out.fields.has(id)) {
      out.fields.set(id, { set: FieldSet.of(replicas), apiVersion: scope.apiVersion, applied: false });
    }
    return encodeInto(next, out);
  }

  #decodeLiveOrNew(live: KObject | undefined, obj: KObject, ignoreRequest: boolean): Managed {
    const fromLive = () => {
      try {
        return decodeManagedFields(live?.metadata?.managedFields);
      } catch (e) {
        if (e instanceof ManagedFieldsDecodeError) return emptyManaged();
        throw e;
      }
    };
    if (ignoreRequest) return fromLive();
    const given = obj.metadata?.managedFields;
    if (isResetManagedFields(given)) return emptyManaged();
    try {
      const m = decodeManagedFields(given);
      return m.fields.size === 0 ? fromLive() : m;
    } catch (e) {
      if (e instanceof ManagedFieldsDecodeError) return fromLive();
      throw e;
    }
  }

  /** skipNonApplied → capManagers → managerInfo → timestamps → stripMeta → structured update. */
  #update(scope: Scope, live: KObject | undefined, next: KObject, managed: Managed, manager: string): { object: KObject; managed: Managed } | undefined {
    const creating = !live?.metadata?.uid;
    // Objects nobody tracked yet stay untracked until their first apply; creates are always tracked.
    if (managed.fields.size === 0 && !creating) return undefined;
    const base = live ?? scope.kind.empty(scope.version);
    const object = scope.kind.withDefaults(next, scope.version);
    this.#trackUpdate(scope, base, object, managed, manager);
    this.#capUpdateManagers(managed);
    return { object, managed };
  }

  /** Records an update by `manager`: what changed is now its own; its time moves only if it took something. */
  #trackUpdate(scope: Scope, live: KObject, next: KObject, managed: Managed, manager: string): void {
    const id = managerIdentifier({ manager: manager || 'unknown', operation: 'Update', apiVersion: scope.apiVersion, subresource: scope.subresource });
    const fields = scope.updater.update(this.#typed(scope, live), this.#typed(scope, next), scope.apiVersion, managed.fields, currentOperation);
    stripMeta(fields, currentOperation);
    const took = fields.get(currentOperation);
    if (took) {
      fields.delete(currentOperation);
      const previous = fields.get(id);
      fields.set(id, { ...took, set: previous ? took.set.union(previous.set) : took.set });
      managed.times.set(id, this.#now());
    }
    managed.fields = fields;
  }

  #capUpdateManagers(managed: Managed): void {
    const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
    if (updaters.length <= maxUpdateManagers) return;
    const seconds = (id: string) => {
      const t = managed.times.get(id);
      return t ? Math.floor(Date.parse(t) / 1000) || 0 : 0;
    };
    updaters.sort((a, b) => seconds(a) - seconds(b) || (a < b ? -1 : a > b ? 1 : 0));
    const firstOfVersion = new Map<string, string>();
    let length = updaters.length;
    for (let i = 0; i < updaters.length && length > maxUpdateManagers; i++) {
      const id = updaters[i]!;
      const vs = managed.fields.get(id)!;
      const time = managed.times.get(id);
      const bucket = managerIdentifier({ manager: ancientChanges, operation: 'Update', apiVersion: vs.apiVersion });
      const first = firstOfVersion.get(vs.apiVersion);
      if (first === undefined) {
        firstOfVersion.set(vs.apiVersion, id);
        continue;
      }
      if (!managed.fields.has(bucket)) {
        managed.fields.set(bucket, managed.fields.get(first)!);
        managed.fields.delete(first);
      }
      managed.fields.set(bucket, { ...vs, set: vs.set.union(managed.fields.get(bucket)!.set) });
      managed.fields.delete(id);
      length--;
      managed.times.set(bucket, time);
    }
  }

  apply(live: KObject | undefined, config: KObject, manager: string, force: boolean, subresource?: string): KObject {
    const scope = this.#scope(live, subresource) ?? this.#scope(config, subresource);
    if (!scope) return config;
    if (config.apiVersion !== scope.apiVersion || config.kind !== scope.kind.def.kind) {
      throw StatusError.badRequest(`invalid object type: ${gvkString(config.apiVersion, config.kind)}`);
    }
    let managed: Managed;
    try {
      managed = decodeManagedFields(live?.metadata?.managedFields);
    } catch (e) {
      if (e instanceof ManagedFieldsDecodeError) throw new StatusError(500, '', `failed to decode managed fields: ${e.message}`);
      throw e;
    }
    const base = live ?? scope.kind.empty(scope.version);
    let result: KObject;
    try {
      result = this.#applyUpgrading(scope, base, config, managed, manager, force);
    } catch (e) {
      if (e instanceof ApplyConflictError) throw applyConflictError(e.conflicts);
      throw e;
    }
    if (manager === upgradingManager && hasLastApplied(result)) setLastApplied(result, buildLastApplied(config));
    return encodeInto(result, managed);
  }

  /** kubectl's first server-side apply takes over, without conflicts, the fields client-side apply still holds. */
  #applyUpgrading(scope: Scope, live: KObject, config: KObject, managed: Managed, manager: string, force: boolean): KObject {
    const snapshot: Managed = { fields: new Map(managed.fields), times: new Map(managed.times) };
    try {
      return this.#applyTracked(scope, live, config, managed, manager, force);
    } catch (e) {
      if (manager !== upgradingManager || !(e instanceof ApplyConflictError)) throw e;
      const allowed = allowedConflicts(live, scope.apiVersion, scope.kind.type(scope.version));
      if (!allowed) throw e;
      const remaining = e.conflicts.filter((c) => !allowed.has(c.path));
      if (remaining.length > 0) throw new ApplyConflictError(remaining);
      managed.fields = snapshot.fields;
      managed.times = snapshot.times;
      return this.#applyTracked(scope, live, config, managed, manager, true);
    }
  }

  /** skipNonApplied (first apply: existing fields go to "before-first-apply") → manager info → timestamps → strip → merge. */
  #applyTracked(scope: Scope, live: KObject, config: KObject, managed: Managed, manager: string, force: boolean): KObject {
    let current = live;
    if (managed.fields.size === 0) {
      const empty = scope.kind.empty(scope.version);
      current = withoutManagedFields(live);
      this.#trackUpdate(scope, empty, current, managed, beforeFirstApply);
      this.#capUpdateManagers(managed);
    }
    const id = managerIdentifier({ manager: manager || 'unknown', operation: 'Apply', apiVersion: scope.apiVersion, subresource: scope.subresource });
    const merged = this.#structuredApply(scope, current, config, managed, id, force);
    stripMeta(managed.fields, id);
    if (merged) {
      managed.times.set(id, this.#now());
      return merged;
    }
    return withoutManagedFields(current);
  }

  #structuredApply(scope: Scope, live: KObject, config: KObject, managed: Managed, id: string, force: boolean): KObject | undefined {
    if (config.metadata?.managedFields !== undefined && config.metadata.managedFields !== null) {
      throw StatusError.badRequest('metadata.managedFields must be nil');
    }
    const type = scope.kind.type(scope.version);
    const errs = validate(config as unknown as JsonValue, type, false);
    if (errs.length > 0) {
      const ns = config.metadata?.namespace ?? '';
      const name = config.metadata?.name ?? '';
      throw new StatusError(
        500,
        '',
        `failed to create typed patch object (${ns}/${name}; ${gvkString(config.apiVersion, config.kind)}): ${new TypedValueError(errs).message}`,
      );
    }
    const liveValue = withoutManagedFields(live);
    let out: { object: TypedObject | undefined; managers: ManagedFields };
    try {
      out = scope.updater.apply(this.#typed(scope, liveValue), this.#typed(scope, config), scope.apiVersion, managed.fields, id, force);
    } catch (e) {
      if (e instanceof TypedValueError) throw new StatusError(500, '', `failed to merge config: ${e.message}`);
      throw e;
    }
    managed.fields = out.managers;
    if (!out.object) return undefined;
    const obj = out.object.value as unknown as KObject;
    return scope.kind.withDefaults({ ...obj, metadata: obj.metadata ?? {} }, scope.version);
  }
}

function stripMeta(fields: ManagedFields, manager: string): void {
  const vs = fields.get(manager);
  if (!vs) return;
  const set = vs.set.difference(stripSet);
  if (set.empty()) fields.delete(manager);
  else fields.set(manager, { ...vs, set });
}
